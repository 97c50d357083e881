import { afterEach, describe, expect, it } from 'vitest';
import { RouterOsEmulator } from '../emulator/routeros/index';
import { attachScriptInterpreter, parseScript, ScriptSyntaxError } from '../emulator/routeros/script/index';

let emu: RouterOsEmulator | undefined;
afterEach(() => {
  emu = undefined;
});

function setup(version: '6.49' | '7.18' = '7.18') {
  emu = new RouterOsEmulator({ version });
  const scripts = attachScriptInterpreter(emu);
  return { emu, scripts };
}

describe('RouterOS script interpreter', () => {
  it('evaluates locals, arithmetic, strings, :find (exclusive start) and :pick', async () => {
    const { scripts } = setup();
    await scripts.run(`
      :local s "a|bc||d"
      :local p1 [:find $s "|"]
      :local p2 [:find $s "|" $p1]
      :local p3 [:find $s "|" $p2]
      :put ($p1 . "," . $p2 . "," . $p3)
      :put [:pick $s ($p1 + 1) $p2]
      :put [:typeof [:find $s "x"]]
      :put ((7 / 2) * 3 + 10 % 4)
      :put "x=$p1 y=$($p2 * 10)"
      :put [:tonum [:totime "10:04:05"]]
      :put [:len "hello"]
    `);
    expect(scripts.output).toEqual(['1,4,5', 'bc', 'nil', '11', 'x=1 y=40', '36245', '5']);
  });

  it('runs :if/else, :do on-error, :foreach over find where, and menu get/set/remove', async () => {
    const { emu, scripts } = setup();
    emu.seed('/ip/hotspot/user', [
      { name: 'A1', comment: 'VOUCHER_SYSTEM|5000||' },
      { name: 'B2', comment: 'lain' },
      { name: 'C3', comment: 'VOUCHER_SYSTEM|3000||', disabled: 'true' },
    ]);
    await scripts.run(`
      :global count 0
      :foreach i in=[/ip hotspot user find where comment~"^VOUCHER_SYSTEM" disabled=no] do={
        :set count ($count + 1)
        /ip hotspot user set $i comment=([/ip hotspot user get $i comment] . "x")
      }
      :if ($count = 1) do={ :put "satu" } else={ :put "lain" }
      :do { /ip hotspot user remove [/ip hotspot user find where name="ZZ"]; :error "boom" } on-error={ :put "tertangkap" }
      /ip hotspot user remove [/ip hotspot user find name=B2]
    `);
    expect(scripts.output).toEqual(['satu', 'tertangkap']);
    const users = emu.menu('/ip/hotspot/user').rows();
    expect(users.map((u) => u['name'])).toEqual(['A1', 'C3']);
    expect(users[0]?.['comment']).toBe('VOUCHER_SYSTEM|5000||x');
  });

  it('reports syntax errors instead of guessing', () => {
    expect(() => parseScript(':if ($a = 1) do={ :put "x"')).toThrow(ScriptSyntaxError);
    expect(() => parseScript(':put "unterminated')).toThrow(ScriptSyntaxError);
  });

  it('answers the clock in each version format and gmt-offset in seconds', async () => {
    for (const version of ['6.49', '7.18'] as const) {
      const { scripts } = setup(version);
      await scripts.run(':put [/system clock get date]; :put [/system clock get gmt-offset]');
      expect(scripts.output).toEqual([version === '6.49' ? 'nov/21/2026' : '2026-11-21', '25200']);
    }
  });

  it('fails an unknown command and records the error', async () => {
    const { scripts } = setup();
    await expect(scripts.run(':frobnicate 1')).rejects.toThrow(/bad command name/);
    expect(scripts.errors).toHaveLength(1);
  });
});
