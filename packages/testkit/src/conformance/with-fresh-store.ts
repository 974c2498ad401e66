import type { CustomerStore } from '@openkyc/core';

/**
 * Wraps a store test so it runs on a store of its own and `teardown` closes that store whatever the test did:
 * the shape every store conformance group registers its tests in.
 */
export function withFreshStore(
  createStore: () => CustomerStore | Promise<CustomerStore>,
  teardown: ((store: CustomerStore) => Promise<void>) | undefined,
): (test: (store: CustomerStore) => Promise<void>) => () => Promise<void> {
  return (test) => async () => {
    const store = await createStore();
    try {
      await test(store);
    } finally {
      await teardown?.(store);
    }
  };
}
