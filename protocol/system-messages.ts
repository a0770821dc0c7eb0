/**
 * The messages the runtime itself sends a process, into its `handleInfo` (OTP's system
 * messages): an exit signal from a linked process, for a process that traps exits, and a
 * monitor's notice. Add them to a GenServer's `info` type to receive them typed.
 */
import type { ExitReason } from '../errors';
import type { Pid } from './pid';

/** Identifies a monitor, to tell its notice apart and to remove it (`demonitor`). */
export type MonitorRef = number;

/**
 * A linked process exited (OTP's `{'EXIT', Pid, Reason}`). Only a process that traps exits
 * receives it; one that does not exits too, with the same reason, unless the reason is
 * `normal`.
 */
export interface ExitMessage {
  readonly type: 'EXIT';
  readonly pid: Pid;
  readonly reason: ExitReason;
}

/**
 * A monitored process exited, or was not running when the monitor was set (reason
 * `noproc`) (OTP's `{'DOWN', Ref, process, Pid, Reason}`).
 */
export interface DownMessage {
  readonly type: 'DOWN';
  readonly ref: MonitorRef;
  readonly pid: Pid;
  readonly reason: ExitReason;
}
