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
  ERR_CONFIG_TLS_FILES: {
    message: 'the TLS certificate or key cannot be loaded',
    hint: 'server.tls.certFile and keyFile must be readable PEM files holding a certificate chain and its matching private key.',
  },
  ERR_CONFIG_TLS_RELOAD: {
    message: 'the changed TLS certificate or key is invalid; the previous one stays in use',
    hint: 'Fix the files (PEM, key matching the certificate); they are loaded again on the next change, without a restart.',
  },
});
