// The testkit pieces these tests use, in one place.
export {
  createDocumentHost,
  createPatchStyleSimulator,
  sampleDocument,
  signPatchStyleWebhook,
  type DocumentHost,
  type PatchStyleSimulator,
} from '@openkyc/testkit';
