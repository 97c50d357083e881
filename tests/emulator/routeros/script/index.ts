/**
 * The emulator's RouterOS script interpreter. Attach it to an emulator so profile on-login/on-logout, PPP
 * on-up/on-down, scheduler on-event and `/system script run` sources really run:
 *
 *   const scripts = attachScriptInterpreter(emu);
 *   emu.hotspotLogin({ user: 'AB12', password: 'AB12', mac, ip });
 *   await scripts.idle();      // the on-login script (and its /tool fetch) finished
 */
import type { RouterOsEmulator } from '../emulator.js';
import { ScriptInterpreter, type InterpreterOptions } from './interpreter.js';

export {
  ScriptInterpreter,
  ScriptError,
  type FetchRecord,
  type InterpreterOptions,
  type ScriptLogLine,
} from './interpreter.js';
export { parseScript, ScriptSyntaxError } from './parser.js';
export { RosId, RosTime, type Value } from './values.js';

export function attachScriptInterpreter(
  emu: RouterOsEmulator,
  opts: InterpreterOptions = {},
): ScriptInterpreter {
  const interpreter = new ScriptInterpreter(emu.state, opts);
  emu.onScriptRun = interpreter.hook;
  return interpreter;
}
