import { memoryStore } from '@openkyc/core';
import { describeStoreConformance } from '../../src/conformance/describe-store-conformance.js';

describeStoreConformance('memoryStore', () => memoryStore());
