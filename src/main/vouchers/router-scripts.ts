/**
 * The RouterOS scripts Rukun installs so vouchers keep working while the office PC is off:
 *
 * - an on-login script in every Rukun voucher profile: on a voucher's FIRST login it stamps first-login and
 *   valid-until (unix seconds) into the comment — the seed format `VOUCHER_SYSTEM|price|first|until|…` — and calls
 *   Rukun's LAN listener with `/tool fetch`, authenticated by a per-router token, so the app learns at once;
 * - one scheduler per router (`rukun-voucher-expiry`, every minute) that removes or disables vouchers whose
 *   valid-until has passed, per profile policy, and kicks their sessions.
 *
 * Time arithmetic (the choice, and why): the comment holds unix seconds, so the router must compute "now" as unix
 * seconds on RouterOS 6 (`nov/21/2026`) and 7.10+ (`2026-11-21`) alike. We do NOT slice dates at fixed positions
 * (the formats differ in length and order); we split at the separators found with `:find` (`/` → the old form with
 * a month name looked up in "janfeb…dec", `-` → ISO), turn the civil date into a day number with integer
 * arithmetic (days-from-civil), add `[:tonum [:totime <time>]]` (seconds of the day) and subtract `gmt-offset`
 * (seconds). Both scripts compute "now" the same way, so the comparison is consistent even if the router clock
 * is a little off; Rukun's poller reads the stamped values back as the source of truth.
 *
 * - a durable sale record per first login: a `/system script` item `rukun-sale|<username>|<first-login>` (comment
 *   `RUKUN_SALE|<first-login>|<profile>`), written by the on-login script and, if missing, again by the expiry
 *   scheduler just before it removes a used voucher. Rukun's poller collects these (one sale per voucher, as ever)
 *   and removes them through router jobs, so a sale is not lost when the PC was off at first login AND at removal.
 *   The scheduler drops records older than 60 days so they cannot pile up if Rukun never comes back.
 *
 * The comment fields are located the same way: by the positions of the `|` separators, never by offsets.
 * Scripts are pure text built from validated inputs: names and tokens are quoted with RouterOS escaping.
 */

export const EXPIRY_SCHEDULER_NAME = 'rukun-voucher-expiry';
export const ON_LOGIN_MARKER = '# rukun:voucher-on-login';
export const EXPIRY_MARKER = '# rukun:voucher-expiry';

/** A sale record on the router: a `/system script` item named `rukun-sale|<username>|<first-login unix s>`. */
export const SALE_NAME_PREFIX = 'rukun-sale|';
/** …whose comment is `RUKUN_SALE|<first-login unix s>|<profile>` (the scheduler reads the time for the 60-day bound). */
export const SALE_COMMENT_PREFIX = 'RUKUN_SALE|';
/** Sale records Rukun has not collected are dropped by the router after this many days. */
export const SALE_RECORD_MAX_DAYS = 60;

/** The router-side name of a sale record. */
export function saleRecordName(username: string, firstLoginSeconds: number | string): string {
  return `${SALE_NAME_PREFIX}${username}|${firstLoginSeconds}`;
}

/** Reads a sale record's name back: the username may itself hold `|`, the time is after the last one. */
export function parseSaleRecordName(
  name: string | undefined,
): { username: string; firstLoginAt: number } | null {
  if (!name?.startsWith(SALE_NAME_PREFIX)) return null;
  const last = name.lastIndexOf('|');
  if (last < SALE_NAME_PREFIX.length) return null;
  const username = name.slice(SALE_NAME_PREFIX.length, last);
  const seconds = Number(name.slice(last + 1));
  if (username === '' || !/^\d+$/.test(name.slice(last + 1)) || seconds <= 0) return null;
  return { username, firstLoginAt: seconds * 1000 };
}

export type ExpiryPolicy = 'remove' | 'disable' | 'keep';

/** Quotes a value as a RouterOS string literal. */
export function rosString(value: string): string {
  return (
    '"' +
    value
      .replace(/[\\"$?]/g, (c) => '\\' + c)
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r') +
    '"'
  );
}

/**
 * Statements that leave the current router time in unix seconds in the local variable `rkNow`
 * (declared by the caller).
 */
export function nowSnippet(): string {
  return `:local rkD [/system clock get date]
:local rkY 0
:local rkM 0
:local rkDay 0
:local rkS1 [:find $rkD "/"]
:if ([:typeof $rkS1] = "num") do={
  # RouterOS 6 and 7 before 7.10: mmm/dd/yyyy
  :local rkS2 [:find $rkD "/" $rkS1]
  :set rkM ([:find "janfebmaraprmayjunjulaugsepoctnovdec" [:pick $rkD 0 $rkS1]] / 3 + 1)
  :set rkDay [:tonum [:pick $rkD ($rkS1 + 1) $rkS2]]
  :set rkY [:tonum [:pick $rkD ($rkS2 + 1) [:len $rkD]]]
} else={
  # RouterOS 7.10+: yyyy-mm-dd
  :set rkS1 [:find $rkD "-"]
  :local rkS2 [:find $rkD "-" $rkS1]
  :set rkY [:tonum [:pick $rkD 0 $rkS1]]
  :set rkM [:tonum [:pick $rkD ($rkS1 + 1) $rkS2]]
  :set rkDay [:tonum [:pick $rkD ($rkS2 + 1) [:len $rkD]]]
}
# days from 1970-01-01 (civil calendar, integer arithmetic only)
:local rkMp ($rkM + 9)
:if ($rkM > 2) do={ :set rkMp ($rkM - 3) } else={ :set rkY ($rkY - 1) }
:local rkEra ($rkY / 400)
:local rkYoe ($rkY - $rkEra * 400)
:local rkDoy ((153 * $rkMp + 2) / 5 + $rkDay - 1)
:local rkDoe ($rkYoe * 365 + $rkYoe / 4 - $rkYoe / 100 + $rkDoy)
:local rkOff [/system clock get gmt-offset]
# a zone west of UTC reads as an unsigned 32-bit number
:if ($rkOff > 0x7fffffff) do={ :set rkOff ($rkOff - 0x100000000) }
:set rkNow (($rkEra * 146097 + $rkDoe - 719468) * 86400 + [:tonum [:totime [/system clock get time]]] - $rkOff)`;
}

export interface OnLoginScriptInput {
  /** Validity from first login in seconds; 0 = no validity (limit by uptime/quota only). */
  validitySeconds: number;
  /** Rukun's LAN callback URL (without query), or null when the listener is not reachable. */
  callbackUrl: string | null;
  routerId: string;
  token: string;
  /** Bind the voucher to the MAC of its first login (Mikhmon's "lock user", kept when Rukun takes a profile over). */
  lockMac?: boolean;
}

/** The on-login script of a Rukun voucher profile. */
export function voucherOnLoginScript(input: OnLoginScriptInput): string {
  const validity = Math.max(0, Math.floor(input.validitySeconds));
  const until = validity > 0 ? '($rkNow + $rkValidity)' : '""';
  // From now on the router refuses this code from any other device.
  const lock = input.lockMac ? '\n    /ip hotspot user set $rkId mac-address=$"mac-address"' : '';
  const callback =
    input.callbackUrl === null
      ? ''
      : `
    :do {
      /tool fetch url=($rkUrl . "?r=" . $rkRouter . "&t=" . $rkToken . "&u=" . $user . "&f=" . $rkNow . "&ip=" . $address . "&mac=" . $"mac-address") keep-result=no
    } on-error={ :log warning ("rukun: callback login " . $user . " gagal") }`;
  return `${ON_LOGIN_MARKER} (dibuat oleh Rukun, jangan diubah)
:local rkValidity ${validity}
:local rkUrl ${rosString(input.callbackUrl ?? '')}
:local rkRouter ${rosString(input.routerId)}
:local rkToken ${rosString(input.token)}
:local rkId [/ip hotspot user find where name=$user]
:if ([:len $rkId] = 1) do={
  :local rkC [/ip hotspot user get $rkId comment]
  :local rkP1 [:find $rkC "|"]
  :local rkFirst false
  :if ([:typeof $rkP1] = "num") do={
    :if ([:pick $rkC 0 $rkP1] = "VOUCHER_SYSTEM") do={
      :local rkP2 [:find $rkC "|" $rkP1]
      :if ([:typeof $rkP2] = "num") do={
        :local rkP3 [:find $rkC "|" $rkP2]
        :if ([:typeof $rkP3] = "num") do={
          :if ($rkP3 = ($rkP2 + 1)) do={ :set rkFirst true }
        }
      }
    }
  }
  :if ($rkFirst) do={
    :local rkNow 0
${indent(nowSnippet(), 4)}
    :local rkP2 [:find $rkC "|" [:find $rkC "|"]]
    :local rkP3 [:find $rkC "|" $rkP2]
    :local rkP4 [:find $rkC "|" $rkP3]
    :local rkRest ""
    :if ([:typeof $rkP4] = "num") do={ :set rkRest [:pick $rkC $rkP4 [:len $rkC]] }
    /ip hotspot user set $rkId comment=([:pick $rkC 0 ($rkP2 + 1)] . $rkNow . "|" . ${until} . $rkRest)${lock}
    # the durable sale record Rukun collects later (written before the callback, which may fail)
    :local rkSale ("${SALE_NAME_PREFIX}" . $user . "|" . $rkNow)
    :do {
      /system script add name=$rkSale source="" comment=("${SALE_COMMENT_PREFIX}" . $rkNow . "|" . [/ip hotspot user get $rkId profile])
    } on-error={ :log warning ("rukun: catatan penjualan " . $user . " gagal") }${callback}
  }
}
`;
}

export interface ExpiryScriptInput {
  /** Profiles and what happens to their vouchers once valid-until has passed. */
  profiles: Array<{ name: string; policy: ExpiryPolicy }>;
}

/** The on-event source of the router-side expiry scheduler. */
export function voucherExpiryScript(input: ExpiryScriptInput): string {
  // remove: the user goes; disable: it stays, disabled; keep: it stays enabled with limit-uptime=1s, so the
  // hotspot login page tells the customer the voucher is used up (Mikhmon's "notice" mode) and the record remains.
  // Before a used voucher is removed, its sale record is written again if Rukun has not collected it yet (a
  // voucher stamped by an older on-login script has none), so the sale survives the removal.
  const removeWithRecord = `:local rkSale ("${SALE_NAME_PREFIX}" . $rkName . "|" . $rkFirst)
        :if ([:len [/system script find where name=$rkSale]] = 0) do={
          :do {
            /system script add name=$rkSale source="" comment=("${SALE_COMMENT_PREFIX}" . $rkFirst . "|" . $rkProf)
          } on-error={ :log warning ("rukun: catatan penjualan " . $rkName . " gagal") }
        }
        /ip hotspot user remove $rkId`;
  const action = (policy: ExpiryPolicy): string =>
    policy === 'remove'
      ? removeWithRecord
      : policy === 'disable'
        ? '/ip hotspot user disable $rkId'
        : '/ip hotspot user set $rkId limit-uptime=1s';
  const branches = input.profiles
    .map(
      (p) => `      :if ($rkProf = ${rosString(p.name)}) do={
        /ip hotspot active remove [/ip hotspot active find where user=$rkName]
        ${action(p.policy)}
      }`,
    )
    .join('\n');
  return `${EXPIRY_MARKER} (dibuat oleh Rukun, jangan diubah)
:local rkNow 0
${nowSnippet()}
# only stamped vouchers (first login set): unused ones are not even parsed, so 10,000 of them cost nothing
:foreach rkId in=[/ip hotspot user find where comment~"^VOUCHER_SYSTEM\\\\|[^|]*\\\\|[0-9]" disabled=no limit-uptime!=1s] do={
  :local rkC [/ip hotspot user get $rkId comment]
  :local rkP1 [:find $rkC "|"]
  :local rkP2 [:find $rkC "|" $rkP1]
  :local rkP3 [:find $rkC "|" $rkP2]
  :if ([:typeof $rkP3] = "num") do={
    :local rkP4 [:find $rkC "|" $rkP3]
    :if ([:typeof $rkP4] != "num") do={ :set rkP4 [:len $rkC] }
    :local rkUntil [:tonum [:pick $rkC ($rkP3 + 1) $rkP4]]
    :if ([:typeof $rkUntil] = "num") do={
      :if ($rkUntil > 0 && $rkUntil <= $rkNow) do={
      :local rkFirst [:pick $rkC ($rkP2 + 1) $rkP3]
      :local rkProf [/ip hotspot user get $rkId profile]
      :local rkName [/ip hotspot user get $rkId name]
${branches}
      }
    }
  }
}
# sale records Rukun never collected (the office PC off for ${SALE_RECORD_MAX_DAYS} days) are dropped, so they cannot pile up
:foreach rkS in=[/system script find where comment~"^RUKUN_SALE\\\\|"] do={
  :local rkSc [/system script get $rkS comment]
  :local rkQ1 [:find $rkSc "|"]
  :if ([:typeof $rkQ1] = "num") do={
    :local rkQ2 [:find $rkSc "|" $rkQ1]
    :if ([:typeof $rkQ2] = "num") do={
      :local rkAt [:tonum [:pick $rkSc ($rkQ1 + 1) $rkQ2]]
      :if ([:typeof $rkAt] = "num") do={
        :if ($rkAt < ($rkNow - ${SALE_RECORD_MAX_DAYS * 86_400})) do={ /system script remove $rkS }
      }
    }
  }
}
`;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}
