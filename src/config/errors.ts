import { defineErrors } from '../core/errors.js';

export const CONFIG_ERRORS = defineErrors({
  ERR_CONFIG_FILE_UNREADABLE: {
    message: 'the configuration file cannot be read',
    hint: 'Check the path given by --config or PAYHOOK_CONFIG and the file permissions.',
  },
  ERR_CONFIG_FILE_NOT_JSON: {
    message: 'the configuration file is not valid JSON',
    hint: 'Fix the JSON syntax; the error names the line and column.',
  },
  ERR_CONFIG_INVALID: {
    message: 'the configuration is invalid',
    hint: 'Each problem is listed with its path in the configuration; fix them and start again.',
  },
  ERR_CONFIG_ENV_INVALID: {
    message: 'an environment variable holds an invalid value',
    hint: 'The error names the variable; see the README configuration table for its format.',
  },
});
