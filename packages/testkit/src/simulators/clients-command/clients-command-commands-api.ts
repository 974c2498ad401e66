import { jsonResponse, type SimulatorRequest, type SimulatorResponse } from '../shared/simulator-server.js';
import type { CodeTable } from './clients-command-code-values.js';
import { lookupClient, type ClientsCommandContext } from './clients-command-context.js';
import { domainRuleViolation, validationFailed, type ClientsCommandViolation } from './clients-command-errors.js';
import {
  activateViolations,
  applyActivate,
  applyClose,
  applyReject,
  applyUndoRejection,
  applyVerify,
  closeViolations,
  rejectViolations,
  undoRejectionViolations,
  verifyViolations,
  type Changes,
} from './clients-command-lifecycle.js';
import { CLIENTS_COMMAND_VERIFICATION_TYPES, type ClientsCommandClientRecord } from './clients-command-state.js';
import { DATE_CONTEXT_PARAMETERS, ParameterValidator, readJsonObject } from './clients-command-validation.js';

/**
 * `POST /v1/clients/{id}?command=…`. Order of checks: unknown client (404) →
 * unknown command (400) → body parameters (400, all at once) → domain rules
 * (403, all at once, nothing changed) → apply (200
 * `{clientId, resourceId, changes}`).
 *
 * Exactly the contract's commands: `verify`, `activate` and `undoRejection`
 * for platforms, `reject` and `close` for the back office. (Fineract has more,
 * e.g. `withdraw`; the contract does not, so the back office withdraws through
 * the simulator's controls.)
 */

/** The commands the contract documents for platforms. */
export const CLIENTS_PLATFORM_COMMANDS = ['verify', 'activate', 'undoRejection'] as const;
/** The commands the contract documents for the back office only ("a platform does not call them"). */
export const CLIENTS_BACK_OFFICE_COMMANDS = ['reject', 'close'] as const;
export const CLIENTS_COMMANDS = [...CLIENTS_PLATFORM_COMMANDS, ...CLIENTS_BACK_OFFICE_COMMANDS] as const;
export type ClientsCommandName = (typeof CLIENTS_COMMANDS)[number];

interface CommandPlan {
  readonly violations: ClientsCommandViolation[];
  apply(): Changes;
}

type CommandSpec = {
  readonly parameters: readonly string[];
  /** Reads the parameters (recording 400 violations) and, when they are fine, returns the plan. */
  plan(context: ClientsCommandContext, client: ClientsCommandClientRecord, v: ParameterValidator): CommandPlan | undefined;
};

const COMMANDS: Readonly<Record<ClientsCommandName, CommandSpec>> = {
  verify: {
    parameters: ['kycVerificationType'],
    plan(context, client, v) {
      const type = v.oneOf('kycVerificationType', CLIENTS_COMMAND_VERIFICATION_TYPES, { required: true });
      if (!type) return undefined;
      return { violations: verifyViolations(client, type), apply: () => applyVerify(client, type, context.today()) };
    },
  },
  activate: {
    parameters: ['activationDate'],
    plan(context, client, v) {
      const date = v.date('activationDate', { required: true, notAfter: context.today() });
      if (!date) return undefined;
      return { violations: activateViolations(client, date), apply: () => applyActivate(client, date) };
    },
  },
  undoRejection: {
    parameters: ['reopenedDate'],
    plan(context, client, v) {
      const date = v.date('reopenedDate', { required: true, notAfter: context.today() });
      if (!date) return undefined;
      return { violations: undoRejectionViolations(client, date), apply: () => applyUndoRejection(client, date) };
    },
  },
  reject: {
    parameters: ['rejectionDate', 'rejectionReasonId'],
    plan(context, client, v) {
      const date = v.date('rejectionDate', { required: true, notAfter: context.today() });
      const reason = reasonParameter(v, 'rejectionReasonId', context.state.rejectionReasons);
      if (!date || !reason) return undefined;
      return { violations: rejectViolations(client, date), apply: () => applyReject(client, reason, date) };
    },
  },
  close: {
    parameters: ['closureDate', 'closureReasonId'],
    plan(context, client, v) {
      const date = v.date('closureDate', { required: true, notAfter: context.today() });
      const reason = reasonParameter(v, 'closureReasonId', context.state.closureReasons);
      if (!date || !reason) return undefined;
      return { violations: closeViolations(client, date), apply: () => applyClose(client, reason, date) };
    },
  },
};

export function runClientCommand(context: ClientsCommandContext, request: SimulatorRequest): SimulatorResponse {
  const found = lookupClient(context, request.params.clientId);
  if (!found.ok) return found.response;
  const client = found.client;

  const commandName = request.query.command;
  const spec = commandName !== undefined && Object.hasOwn(COMMANDS, commandName) ? COMMANDS[commandName as ClientsCommandName] : undefined;
  if (!spec) {
    const v = new ParameterValidator({});
    if (commandName === undefined || commandName === '') v.fail('command', 'cannot.be.blank', 'The query parameter `command` is mandatory.');
    else v.fail('command', 'is.not.supported', `Unrecognized command \`${commandName}\`; expected one of ${CLIENTS_COMMANDS.join(', ')}.`, commandName);
    return validationFailed(v.violations);
  }

  const read = readJsonObject(request);
  if (!read.ok) return read.response;
  const v = new ParameterValidator(read.body);
  v.rejectUnsupported([...spec.parameters, ...DATE_CONTEXT_PARAMETERS]);
  const plan = spec.plan(context, client, v);
  if (!v.ok || !plan) return validationFailed(v.violations);
  if (plan.violations.length > 0) return domainRuleViolation(plan.violations);

  const changes = plan.apply();
  return jsonResponse(200, { clientId: client.id, resourceId: client.id, changes });
}

function reasonParameter(v: ParameterValidator, name: string, table: CodeTable): ReturnType<CodeTable['byId']> {
  const id = v.id(name, true);
  if (typeof id !== 'number') return undefined;
  const reason = table.byId(id);
  if (!reason) {
    const known = table.values().map((value) => `${value.id} (${value.name})`).join(', ');
    v.fail(name, 'is.not.one.of.expected.enumerations', `Unknown ${name} ${id}; expected one of ${known}.`, id);
  }
  return reason;
}
