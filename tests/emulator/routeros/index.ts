export {
  certificateFingerprint,
  otherTestCertificate,
  RouterOsEmulator,
  testCertificate,
  type TlsCertificate,
  type EmulatorOptions,
  type EmulatorStats,
  type LogEntry,
} from './emulator.js';
export { Menu, Trap, compileQuery, type FieldDef, type MenuDef, type Row } from './menu.js';
export { PROFILES, type EmulatorVersion, type VersionProfile } from './menus.js';
export type { EmulatorFaults, LoginMode } from './session.js';
export {
  HOTSPOT_REJECT,
  RouterState,
  type HotspotLoginInput,
  type LoginResult,
  type PppConnectInput,
  type ScriptContext,
  type ScriptHook,
  type ScriptRun,
  type ScriptTrigger,
} from './state.js';
export { seedOffice, seedBulk } from './seed.js';
