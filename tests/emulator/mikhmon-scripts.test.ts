/**
 * The emulator runs the scripts offices already have on their routers: Mikhmon v3's on-login and expiry monitor,
 * on RouterOS 6.49 and 7.18, with the results a real router gives (comment, sales record, MAC lock, expiry).
 * Also the language pieces those scripts need, one by one, and the scheduler's `start-time`.
 */
import { describe, expect, it } from 'vitest';
import { RouterOsEmulator } from './routeros/index';
import { addMikhmonProfile, addMikhmonVouchers, type MikhmonProfileForm } from './routeros/fixtures/mikhmon';
import { attachScriptInterpreter } from './routeros/script/index';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function setup(version: '6.49' | '7.18') {
  // Default clock: 2026-11-21 10:04:05 Asia/Jakarta.
  const emu = new RouterOsEmulator({ version });
  const scripts = attachScriptInterpreter(emu);
  return { emu, scripts };
}

const RECORD_FORM: MikhmonProfileForm = {
  name: '1Hari',
  expmode: 'remc',
  validity: '1d',
  price: '3000',
  sprice: '5000',
  lock: 'Enable',
};

describe("Mikhmon v3's on-login script in the emulator", () => {
  for (const version of ['6.49', '7.18'] as const) {
    it(`stamps the expiry, writes the sales record and locks the MAC on ${version}`, async () => {
      const { emu, scripts } = setup(version);
      addMikhmonProfile(emu, RECORD_FORM);
      addMikhmonVouchers(emu, {
        profile: '1Hari',
        names: ['ab123', 'cd456'],
        batch: '123',
        date: '11.20.26',
      });
      const login = emu.hotspotLogin({
        user: 'ab123',
        password: 'ab123',
        mac: 'aa:bb:cc:dd:ee:01',
        ip: '10.5.50.2',
      });
      expect(login.ok).toBe(true);
      await scripts.idle();
      expect(scripts.errors).toEqual([]);
      const user = emu.menu('/ip/hotspot/user').findBy('name', 'ab123')!;
      const date = version === '6.49' ? 'nov/21/2026' : '2026-11-21';
      // The temporary scheduler's next-run (login + validity) became the comment, in the router's date form.
      expect(user['comment']).toBe(version === '6.49' ? 'nov/22/2026 10:04:05' : '2026-11-22 10:04:05');
      expect(user['mac-address']).toBe('AA:BB:CC:DD:EE:01');
      expect(emu.menu('/system/scheduler').findBy('name', 'ab123')).toBeUndefined();
      const records = emu.menu('/system/script').filter((s) => s['comment'] === 'mikhmon');
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        name: `${date}-|-10:04:05-|-ab123-|-3000-|-10.5.50.2-|-AA:BB:CC:DD:EE:01-|-1d-|-1Hari-|-vc-123-11.20.26-`,
        // `[:pick $date 0 3]` + `[:pick $date 7 11]`: what Mikhmon v3 itself writes on each date form.
        owner: version === '6.49' ? 'nov2026' : '202-21',
        source: date,
      });
      // The untouched voucher keeps its generation comment; a second login does not stamp or record again.
      expect(emu.menu('/ip/hotspot/user').findBy('name', 'cd456')?.['comment']).toBe('vc-123-11.20.26-');
      emu.hotspotLogout('ab123');
      expect(
        emu.hotspotLogin({ user: 'ab123', password: 'ab123', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.2' }).ok,
      ).toBe(true);
      await scripts.idle();
      expect(emu.menu('/system/script').filter((s) => s['comment'] === 'mikhmon')).toHaveLength(1);
      // Locked: another device cannot use the code.
      emu.hotspotLogout('ab123');
      expect(
        emu.hotspotLogin({ user: 'ab123', password: 'ab123', mac: 'aa:bb:cc:dd:ee:99', ip: '10.5.50.9' }),
      ).toEqual({ ok: false, reason: 'user is not allowed to log in from this MAC address' });
    });
  }

  it('stamps "today <time>" when the expiry falls on the same day (next-run shows only the time)', async () => {
    const { emu, scripts } = setup('6.49');
    addMikhmonProfile(emu, { ...RECORD_FORM, expmode: 'rem', validity: '3h', lock: 'Disable' });
    addMikhmonVouchers(emu, { profile: '1Hari', names: ['ab123'], batch: '555', date: '11.21.26' });
    // Emulate a router whose next-run omits the date for today (older 6.x prints `13:04:05`).
    const sched = emu.menu('/system/scheduler');
    const off = sched.subscribe((kind, row) => {
      if (kind === 'add' && row['name'] === 'ab123') row['next-run'] = '13:04:05';
    });
    emu.hotspotLogin({ user: 'ab123', password: 'ab123', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.2' });
    await scripts.idle();
    off();
    expect(scripts.errors).toEqual([]);
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'ab123')?.['comment']).toBe('nov/21/2026 13:04:05');
    // rem: no sales record; Disable: no MAC lock.
    expect(emu.menu('/system/script').filter((s) => s['comment'] === 'mikhmon')).toEqual([]);
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'ab123')?.['mac-address']).toBeUndefined();
  });

  it('mode None (0) only prints its header and locks the MAC: the comment stays vc-…', async () => {
    const { emu, scripts } = setup('7.18');
    addMikhmonProfile(emu, { ...RECORD_FORM, expmode: '0', validity: '', sprice: '' });
    addMikhmonVouchers(emu, { profile: '1Hari', names: ['ab123'], batch: '321', date: '11.21.26' });
    emu.hotspotLogin({ user: 'ab123', password: 'ab123', mac: 'aa:bb:cc:dd:ee:05', ip: '10.5.50.5' });
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    expect(scripts.output).toEqual([',,3000,,,noexp,Enable,']);
    const user = emu.menu('/ip/hotspot/user').findBy('name', 'ab123')!;
    expect(user['comment']).toBe('vc-321-11.21.26-');
    expect(user['mac-address']).toBe('AA:BB:CC:DD:EE:05');
    expect(emu.menu('/system/scheduler').rows()).toEqual([]);
  });
});

describe("Mikhmon v3's expiry monitor in the emulator", () => {
  it('on 6.49 removes the user and its session at the first run after the stamped expiry', async () => {
    const { emu, scripts } = setup('6.49');
    addMikhmonProfile(emu, RECORD_FORM, { startTime: '03:27:45', interval: '00:02:30' });
    addMikhmonVouchers(emu, { profile: '1Hari', names: ['ab123', 'cd456'], batch: '123', date: '11.20.26' });
    const monitor = emu.menu('/system/scheduler').findBy('name', '1Hari')!;
    // start-time honoured: 03:27:45 + whole 2m30s steps, the first after 10:04:05.
    expect(monitor['next-run']).toBe('nov/21/2026 10:05:15');
    emu.hotspotLogin({ user: 'ab123', password: 'ab123', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.2' });
    await scripts.idle();
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'ab123')?.['comment']).toBe('nov/22/2026 10:04:05');
    // Expiry 10:04 (minute resolution): the runs up to 10:04:59 on the next day leave the user alone.
    emu.advanceTime(DAY + 45_000);
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    expect(Number(monitor['run-count'])).toBeGreaterThan(570);
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'ab123')).toBeDefined();
    expect(emu.menu('/ip/hotspot/active').findBy('user', 'ab123')).toBeDefined();
    emu.advanceTime(30_000); // the 10:05:15 run
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'ab123')).toBeUndefined();
    expect(emu.menu('/ip/hotspot/active').findBy('user', 'ab123')).toBeUndefined();
    // The unused voucher and the sales record stay.
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'cd456')).toBeDefined();
    expect(emu.menu('/system/script').filter((s) => s['comment'] === 'mikhmon')).toHaveLength(1);
  });

  it('on 6.49 in "notice" mode sets limit-uptime=1s, so the login page says the voucher is used up', async () => {
    const { emu, scripts } = setup('6.49');
    addMikhmonProfile(emu, { ...RECORD_FORM, expmode: 'ntfc', validity: '2h', lock: 'Disable' });
    addMikhmonVouchers(emu, { profile: '1Hari', names: ['ab123'], batch: '123', date: '11.21.26' });
    emu.hotspotLogin({ user: 'ab123', password: 'ab123', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.2' });
    await scripts.idle();
    emu.advanceTime(2 * HOUR + 5 * 60_000);
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    const user = emu.menu('/ip/hotspot/user').findBy('name', 'ab123')!;
    expect(user['limit-uptime']).toBe('1s');
    expect(
      emu.hotspotLogin({ user: 'ab123', password: 'ab123', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.2' }),
    ).toEqual({ ok: false, reason: 'uptime limit reached' });
  });

  it('on 7.18 runs without error but, like on a real router, cannot read the ISO expiry Mikhmon v3 stamped', async () => {
    const { emu, scripts } = setup('7.18');
    addMikhmonProfile(emu, RECORD_FORM);
    addMikhmonVouchers(emu, { profile: '1Hari', names: ['ab123'], batch: '123', date: '11.20.26' });
    emu.hotspotLogin({ user: 'ab123', password: 'ab123', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.2' });
    await scripts.idle();
    expect(emu.menu('/system/scheduler').findBy('name', '1Hari')?.['next-run']).toBe('2026-11-21 10:05:15');
    emu.advanceTime(2 * DAY);
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    expect(Number(emu.menu('/system/scheduler').findBy('name', '1Hari')?.['run-count'])).toBeGreaterThan(
      1000,
    );
    // The monitor only knows `mmm/dd/yyyy` comments: the user stays (Rukun's poller expires it instead).
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'ab123')?.['comment']).toBe('2026-11-22 10:04:05');
  });
});

describe('script language pieces Mikhmon relies on', () => {
  it('abbreviated commands, menus and parameters; commands without the colon', async () => {
    const { emu, scripts } = setup('6.49');
    await scripts.run(`
      :put [:pic "abcdef" 1 3]
      :put [len "abcd"]
      /sys sch add name="x" disable=no interval=1h on-event=":put 1"
      :put [/sys sch get [/sys sch find where name="x"] disabled]
      /ip hot us add name=u1 pass=p1
    `);
    expect(scripts.output).toEqual(['bc', '4', 'false']);
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'u1')?.['password']).toBe('p1');
    // Ambiguous: `/system s…` could be script or scheduler.
    await expect(scripts.run('/system s add name=y')).rejects.toThrow(/no such command prefix/);
    await expect(scripts.run(':t 1')).rejects.toThrow(/bad command name/);
  });

  it('top-level blocks, or/and, [cmd; cmd], relative find, arrays and functions', async () => {
    const { emu, scripts } = setup('7.18');
    emu.menu('/ip/hotspot/user').add({ name: 'a', comment: 'vc-1' });
    emu.menu('/ip/hotspot/user').add({ name: 'b', comment: 'up-2' });
    await scripts.run(`
      {:local x 1; :if ($x = 2 or $x = 1 and "a" = "a") do={ :put "yes" }}
      :put [:typeof $x]
      [:local v "z"; /ip hotspot user set comment=$v [find where name="a"]]
      :local arr {"jan";"feb";3}
      :local arr2 ("mar","apr")
      :put [:len $arr]
      :put [:find $arr2 "apr"]
      :local f do={ :return ($a * 2) }
      :put [$f a=21]
      :foreach i in [/ip hotspot user find where comment~"^up"] do={ :put [/ip hotspot user get $i name] }
    `);
    expect(scripts.errors).toEqual([]);
    expect(scripts.output).toEqual(['yes', 'nil', '3', '1', '42', 'b']);
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'a')?.['comment']).toBe('z');
  });

  it('/system script add takes owner=; /queue simple exists', async () => {
    const { emu, scripts } = setup('6.49');
    await scripts.run(
      '/system script add name="r1" owner="nov2026" source="x" comment="mikhmon"; /queue simple add name=q1 target=10.5.50.0/24 max-limit=5M/5M',
    );
    expect(emu.menu('/system/script').findBy('name', 'r1')?.['owner']).toBe('nov2026');
    expect(emu.menu('/queue/simple').findBy('name', 'q1')).toMatchObject({
      target: '10.5.50.0/24',
      'max-limit': '5M/5M',
      dynamic: 'false',
    });
  });
});

describe('scheduler start-time', () => {
  it('a start time later today is the first run; one in the past aligns runs to it; interval=0 runs once', () => {
    const { emu } = setup('7.18');
    const sched = emu.menu('/system/scheduler');
    sched.add({ name: 'later', 'start-time': '23:00:00', interval: '1d', 'on-event': '' });
    sched.add({ name: 'past', 'start-time': '01:00:00', interval: '3h', 'on-event': '' });
    sched.add({ name: 'once', 'start-time': '12:00:00', interval: '0s', 'on-event': '' });
    sched.add({ name: 'tomorrow', 'start-date': '2026-11-22', 'start-time': '06:00:00', interval: '1h' });
    sched.add({ name: 'plain', interval: '10m', 'on-event': '' });
    const next = (n: string) => sched.findBy('name', n)?.['next-run'];
    expect(next('later')).toBe('2026-11-21 23:00:00');
    expect(next('past')).toBe('2026-11-21 13:00:00');
    expect(next('once')).toBe('2026-11-21 12:00:00');
    expect(next('tomorrow')).toBe('2026-11-22 06:00:00');
    expect(next('plain')).toBe('2026-11-21 10:14:05');
    expect(sched.findBy('name', 'past')?.['start-date']).toBe('2026-11-21');
    emu.advanceTime(4 * HOUR);
    expect(sched.findBy('name', 'once')?.['run-count']).toBe('1');
    expect(next('once')).toBeUndefined();
    expect(next('past')).toBe('2026-11-21 16:00:00');
    // Changing the start time moves the schedule; changing only the script keeps it.
    const past = sched.findBy('name', 'past')!;
    sched.set(past['.id']!, { 'on-event': ':put 2' });
    expect(next('past')).toBe('2026-11-21 16:00:00');
    sched.set(past['.id']!, { 'start-time': '00:30:00' });
    expect(next('past')).toBe('2026-11-21 15:30:00');
  });
});
