import { runDtmfDetectorContract } from './detector.case.js';

runDtmfDetectorContract('reference');
