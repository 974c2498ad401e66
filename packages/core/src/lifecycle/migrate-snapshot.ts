import { lazySchema, loadZod } from '../values/lazy-schema.js';
import { customerStatusSchema } from '../models/customer-status.js';
import type { LifecycleSnapshot } from './apply-report.js';
import { LIFECYCLE_MACHINE_VERSION } from './lifecycle-machine.js';
import { parseLifecycleTimestamp } from './timestamp.js';

/**
 * Validates a persisted lifecycle snapshot (from a store: untrusted shape) and
 * brings it to the current machine version. Version 1 is the only version so
 * far, so it is validated and returned as is; a later version adds one
 * `vN → vN+1` step here.
 *
 * Throws an `Error` naming the version when it is unknown (or missing), and an
 * `Error` listing the problems when a known version is malformed; core wraps
 * both. Unknown extra fields are dropped; a `null` `lastReportAt` (as SQL stores
 * give back) is read as absent.
 */
export function migrateLifecycleSnapshot(persisted: unknown): LifecycleSnapshot {
  const versioned = versionedSchema().safeParse(persisted);
  if (!versioned.success) {
    throw new Error(`Invalid lifecycle snapshot: no numeric machineVersion.\n${loadZod().prettifyError(versioned.error)}`);
  }
  const version = versioned.data.machineVersion;
  if (!SUPPORTED_VERSIONS.includes(version)) {
    throw new Error(
      `Unsupported lifecycle snapshot machineVersion ${version} (this build reads: ${SUPPORTED_VERSIONS.join(', ')}).`,
    );
  }
  const parsed = snapshotV1Schema().safeParse(persisted);
  if (!parsed.success) {
    throw new Error(`Invalid lifecycle snapshot (machineVersion 1).\n${loadZod().prettifyError(parsed.error)}`);
  }
  const { status, lastReportAt } = parsed.data;
  return lastReportAt == null
    ? { machineVersion: LIFECYCLE_MACHINE_VERSION, status }
    : { machineVersion: LIFECYCLE_MACHINE_VERSION, status, lastReportAt };
}

// --- helpers ---------------------------------------------------------------

const SUPPORTED_VERSIONS: readonly number[] = [1];

// Read only the version first, so an unknown version is reported as such rather
// than as a list of shape errors against the wrong schema.
const versionedSchema = lazySchema((z) => z.object({ machineVersion: z.number() }));

// Same timestamp rule as applyReport, so a migrated snapshot can always be applied to.
const snapshotV1Schema = lazySchema((z) =>
  z.object({
    machineVersion: z.literal(1),
    status: customerStatusSchema(),
    lastReportAt: z
      .string()
      .refine(isLifecycleTimestamp, { message: 'lastReportAt must be an ISO 8601 date-time with an offset' })
      .nullish(),
  }),
);

function isLifecycleTimestamp(value: string): boolean {
  try {
    parseLifecycleTimestamp(value, 'lastReportAt');
    return true;
  } catch {
    return false;
  }
}
