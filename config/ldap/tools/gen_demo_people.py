#!/usr/bin/env python3
"""Regenerate demo-people.ldif and demo-people.md from the table below.

The demo directory must be loadable with `slapadd`, which stores values as
given: password hashes are computed here ({SSHA} with slappasswd, and the
NT hash as uppercase hex MD4 of the UTF-16LE password, in pure Python
because OpenSSL 3 no longer offers MD4). Run from anywhere:

    python3 config/ldap/tools/gen_demo_people.py

A password whose {SSHA} value in the current demo-people.ldif still matches
keeps that value, so a run changes only what the table changed.
"""
import base64
import hashlib
import os
import re
import struct
import subprocess
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
LDAP_DIR = os.path.dirname(HERE)
PEOPLE_DN = "ou=people,dc=univ-exemple,dc=fr"
DOMAIN_SID = "S-1-5-21-3623811015-3361044348-30300820"
# 2025-01-01T00:00:00Z, so the demo is the same whenever it is regenerated.
PWD_LAST_SET = 1735689600
SHADOW_LAST_CHANGE = PWD_LAST_SET // 86400


def md4(data: bytes) -> bytes:
    """RFC 1320 MD4."""
    def f(x, y, z): return (x & y) | (~x & z)
    def g(x, y, z): return (x & y) | (x & z) | (y & z)
    def h(x, y, z): return x ^ y ^ z
    def rol(v, s): v &= 0xFFFFFFFF; return ((v << s) | (v >> (32 - s))) & 0xFFFFFFFF
    msg = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack("<Q", len(data) * 8)
    a, b, c, d = 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476
    for off in range(0, len(msg), 64):
        x = struct.unpack("<16I", msg[off:off + 64])
        aa, bb, cc, dd = a, b, c, d
        for i in range(16):
            k, s = i, (3, 7, 11, 19)[i % 4]
            if i % 4 == 0: a = rol(a + f(b, c, d) + x[k], s)
            elif i % 4 == 1: d = rol(d + f(a, b, c) + x[k], s)
            elif i % 4 == 2: c = rol(c + f(d, a, b) + x[k], s)
            else: b = rol(b + f(c, d, a) + x[k], s)
        for i in range(16):
            k, s = (i % 4) * 4 + i // 4, (3, 5, 9, 13)[i % 4]
            if i % 4 == 0: a = rol(a + g(b, c, d) + x[k] + 0x5A827999, s)
            elif i % 4 == 1: d = rol(d + g(a, b, c) + x[k] + 0x5A827999, s)
            elif i % 4 == 2: c = rol(c + g(d, a, b) + x[k] + 0x5A827999, s)
            else: b = rol(b + g(c, d, a) + x[k] + 0x5A827999, s)
        order = (0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15)
        for i in range(16):
            k, s = order[i], (3, 9, 11, 15)[i % 4]
            if i % 4 == 0: a = rol(a + h(b, c, d) + x[k] + 0x6ED9EBA1, s)
            elif i % 4 == 1: d = rol(d + h(a, b, c) + x[k] + 0x6ED9EBA1, s)
            elif i % 4 == 2: c = rol(c + h(d, a, b) + x[k] + 0x6ED9EBA1, s)
            else: b = rol(b + h(c, d, a) + x[k] + 0x6ED9EBA1, s)
        a, b, c, d = [(v + w) & 0xFFFFFFFF for v, w in zip((a, b, c, d), (aa, bb, cc, dd))]
    return struct.pack("<4I", a, b, c, d)


assert md4(b"").hex() == "31d6cfe0d16ae931b73c59d7e0c089c0"
assert md4(b"abc").hex() == "a448017aaf21d8525fc10ae87aa6729d"


def nt_hash(password: str) -> str:
    return md4(password.encode("utf-16-le")).hex().upper()


def ssha(password: str) -> str:
    out = subprocess.run(["/usr/sbin/slappasswd", "-h", "{SSHA}", "-T", "/dev/stdin"],
                         input=password.encode(), capture_output=True, check=True)
    return out.stdout.decode().strip()


def ssha_matches(value: str, password: str) -> bool:
    if not value.startswith("{SSHA}"):
        return False
    raw = base64.b64decode(value[len("{SSHA}"):])
    digest, salt = raw[:20], raw[20:]
    return hashlib.sha1(password.encode() + salt).digest() == digest


def current_hashes() -> dict:
    """uid -> the userPassword value of the current demo-people.ldif."""
    path = os.path.join(LDAP_DIR, "demo-people.ldif")
    if not os.path.exists(path):
        return {}
    hashes, uid = {}, None
    for line in open(path, encoding="utf-8"):
        match = re.match(r"dn: uid=([^,]+),", line)
        if match:
            uid = match.group(1)
        elif line.startswith("userPassword: ") and uid:
            hashes[uid] = line.split(": ", 1)[1].strip()
    return hashes


CURRENT = current_hashes()


def stable_ssha(uid: str, password: str) -> str:
    """The current value when it still matches the password, else a new one."""
    value = CURRENT.get(uid)
    return value if value and ssha_matches(value, password) else ssha(password)


def ascii_fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


# kind: S student, P staff (personnel), D both (doctoral student who teaches).
# Columns: uid, kind, givenName, sn, birth date, student number, INE, staff
# number, initial password (None: an account IT created for a newcomer, with
# no password yet and marked passerelleActivationPending: TRUE for
# « Activer mon compte »), samba+posix+shadow?, secret question (or None),
# suggested answer (for whoever fills passerelleAnswerHash), notes.
Q_PET = "Quel était le nom de votre premier animal de compagnie ?"
Q_CITY = "Dans quelle ville sont nés vos parents ?"
Q_TEACHER = "Quel est le nom de votre instituteur de CP ?"
PEOPLE = [
    ("jdupont", "S", "Jean", "Dupont", "20030412", "22301001", "1234567890A", None, "Soleil-Vert-42", True, Q_PET, "Médor", ""),
    ("mlefevre", "S", "Marie", "Lefèvre", "20020923", "22301002", "1234567891B", None, "Nuage-Rose-17", True, None, None, ""),
    ("hgarcon", "S", "Hélène", "Garçon", "20040101", "22301003", "1234567892C", None, "Été-Brûlant-2024", True, Q_CITY, "Saint-Étienne", "non-ASCII password (NT hash of UTF-16LE)"),
    ("fnoel", "S", "François", "Noël", "20011225", "22301004", "1234567893D", None, "Sapin-Blanc-88", True, None, None, ""),
    ("lmuller", "S", "Léa", "Müller", "20030730", "22301005", "1234567894E", None, "Riviere-Calme-31", False, None, None, ""),
    ("cbenaissa", "S", "Chloé", "Benaïssa", "20050214", "22301006", "1234567895F", None, "Orage-Lointain-09", True, Q_TEACHER, "Mme Girard", ""),
    ("tnguyen", "S", "Thomas", "Nguyen", "20021105", "22301007", "1234567896G", None, "Phare-Breton-56", True, None, None, ""),
    ("alemaitre", "S", "Anaïs", "Lemaître", "20040618", "22301008", "1234567897H", None, "Cerise-Acide-73", False, None, None, ""),
    ("ecote", "S", "Émile", "Côté", "20010309", "22301009", "1234567898J", None, "Falaise-Grise-24", True, None, None, ""),
    ("zbrahimi", "S", "Zoé", "Brahimi", "20031127", "22301010", "1234567899K", None, "Lanterne-Jaune-65", True, None, None, ""),
    ("nfaure", "S", "Noémie", "Faure", "20020502", "22301011", "2234567890L", None, "Ardoise-Bleue-12", False, None, None, ""),
    ("gdurand", "S", "Gaëtan", "Durand", "20000817", "22301012", "2234567891M", None, "Moulin-Rouge-47", True, None, None, ""),
    ("ipetit", "S", "Inès", "Petit", "20041009", "22301013", "2234567892N", None, "Colline-Douce-38", True, None, None, ""),
    ("rleroux", "S", "Raphaël", "Le Roux", "20030121", "22301014", "2234567893P", None, "Granit-Rose-22", True, None, None, ""),
    ("cdelacroix", "S", "Cécile", "Delacroix", "20020606", "22301015", "2234567894R", None, "Pinceau-Fin-90", False, None, None, ""),
    ("yboucher", "S", "Yannick", "Boucher", "20011014", "22301016", "2234567895S", None, "Tonnerre-Sec-11", True, None, None, ""),
    ("sdaoud", "S", "Sarah", "Daoud", "20050328", "22301017", "2234567896T", None, "Dune-Dorée-54", True, None, None, ""),
    ("omartin", "S", "Océane", "Martin", "20030815", "22301018", "2234567897U", None, "Corail-Vif-29", True, None, None, "locked by ppolicy (pwdAccountLockedTime 000001010000Z)"),
    ("brenard", "S", "Benoît", "Renard", "20020219", "22301019", "2234567898V", None, "Prairie-Haute-63", True, None, None, "no recovery address (no supannMailPerso)"),
    ("kmoreau", "S", "Kévin", "Moreau", "20040711", "22301020", "2234567899W", None, "Volcan-Endormi-15", False, None, None, ""),
    ("jbernard", "P", "Jacqueline", "Bernard", "19680504", None, None, "41001", "Chêne-Ancien-1968", True, Q_PET, "Filou", ""),
    ("prichard", "P", "Pierre", "Richard", "19750912", None, None, "41002", "Marteau-Lourd-75", True, None, None, ""),
    ("slaurent", "P", "Sébastien", "Laurent", "19821130", None, None, "41003", "Horloge-Muette-82", True, None, None, ""),
    ("vgirard", "P", "Véronique", "Girard", "19790227", None, None, "41004", "Boussole-Nord-79", False, None, None, ""),
    ("mrousseau", "P", "Mathieu", "Rousseau", "19900716", None, None, "41005", "Plume-Légère-90", True, None, None, ""),
    ("adumas", "P", "Agnès", "Dumas", "19710403", None, None, "P4106A", "Encre-Noire-71", True, None, None, "staff number with a letter (caseExact)"),
    ("lfontaine", "D", "Louis", "Fontaine", "19960120", "21900042", "3234567890X", "41007", "Fontaine-Claire-96", True, None, None, "doctoral student: both student and staff number"),
    ("chomonyme", "P", "Camille", "Homonyme", "19850610", None, None, "49999", "Miroir-Gauche-85", True, None, None, "AMBIGUOUS: shares supannEmpId 49999 with phomonyme"),
    ("phomonyme", "P", "Pascale", "Homonyme", "19870822", None, None, "49999", "Miroir-Droit-87", True, None, None, "AMBIGUOUS: shares supannEmpId 49999 with chomonyme"),
    ("fsimon", "P", "Françoise", "Simon", "19640114", None, None, "41010", "Tilleul-Fleuri-64", False, Q_CITY, "Québec", ""),
    ("nnouveau", "S", "Noé", "Nouveau", "20060301", "22301021", "3234567891Y", None, None, True, None, None, "newcomer to activate, no password yet"),
    ("aarrivee", "P", "Aline", "Arrivée", "19920514", None, None, "41011", None, True, None, None, "newcomer to activate, no password yet"),
    ("asupport", "P", "Alice", "Support", "19850302", None, None, "41020", "Guichet-Bleu-2025", True, None, None, "help-desk agent: IT desk (cn=helpdesk-it)"),
    ("blambert", "P", "Bruno", "Lambert", "19800606", None, None, "41021", "Registre-Vert-2025", True, None, None, "help-desk agent: science faculty's desk (cn=helpdesk-sciences)"),
]

# The faculty (departmentNumber) of each student: the science faculty's
# help-desk agent acts on its students only (SCI).
FACULTY = {
    "jdupont": "SCI", "mlefevre": "LET", "hgarcon": "SCI", "fnoel": "LET",
    "lmuller": "SCI", "cbenaissa": "LET", "tnguyen": "SCI", "alemaitre": "LET",
    "ecote": "SCI", "zbrahimi": "LET", "nfaure": "SCI", "gdurand": "LET",
    "ipetit": "SCI", "rleroux": "LET", "cdelacroix": "SCI", "yboucher": "LET",
    "sdaoud": "SCI", "omartin": "LET", "brenard": "SCI", "kmoreau": "LET",
    "lfontaine": "SCI", "nnouveau": "SCI",
}

# The help desk's groups (docs/helpdesk.md), under ou=groups: the demo's
# [[helpdesk.profiles]] name them (src/demo.rs), and the H rules of
# slapd-databases.ldif give their members' proxied writes.
GROUPS = [
    ("helpdesk-it", "The IT help desk: every person", ["asupport"]),
    ("helpdesk-sciences", "The science faculty's student office: its students", ["blambert"]),
]


def entry(i, p):
    (uid, kind, given, sn, dob, etu, ine, emp, password, samba, question, _answer, notes) = p
    lines = []
    to_activate = password is None
    if to_activate:
        lines.append(f"# {uid}: {notes}")
    else:
        lines.append(f"# {uid}: initial password {password}" + (f" ({notes})" if notes else ""))
    lines.append(f"dn: uid={uid},{PEOPLE_DN}")
    classes = ["inetOrgPerson", "supannPerson", "schacPersonalCharacteristics", "eduPerson"]
    if samba:
        classes += ["posixAccount", "shadowAccount", "sambaSamAccount"]
    if question or to_activate:
        classes.append("passerelleAccount")
    lines += [f"objectClass: {c}" for c in classes]
    lines.append(f"uid: {uid}")
    lines.append(f"cn: {given} {sn}")
    lines.append(f"givenName: {given}")
    lines.append(f"sn: {sn}")
    lines.append(f"displayName: {given} {sn}")
    lines.append(f"mail: {uid}@univ-exemple.fr")
    if uid != "brenard":
        perso = ascii_fold(f"{given}.{sn}").lower().replace(" ", "")
        lines.append(f"supannMailPerso: {perso}@example.org")
    if uid in FACULTY:
        lines.append(f"departmentNumber: {FACULTY[uid]}")
    if etu:
        lines.append(f"supannEtuId: {etu}")
        lines.append(f"supannCodeINE: {ine}")
    if emp:
        lines.append(f"supannEmpId: {emp}")
    lines.append(f"schacDateOfBirth: {dob}")
    affiliations = {"S": ["student", "member"], "P": ["staff", "employee", "member"],
                    "D": ["student", "employee", "faculty", "member"]}[kind]
    lines += [f"eduPersonAffiliation: {a}" for a in affiliations]
    lines.append(f"eduPersonPrincipalName: {uid}@univ-exemple.fr")
    if to_activate:
        # What the site's provisioning sets on an account its owner must
        # activate (flows.activation_filter); the gateway removes it.
        lines.append("passerelleActivationPending: TRUE")
    else:
        lines.append(f"userPassword: {stable_ssha(uid, password)}")
        # slapadd bypasses ppolicy, which would stamp this on a password
        # set online. Accounts in use carry no activation mark, so none of
        # them is open to "Activer mon compte", with or without it.
        lines.append("pwdChangedTime: 20250901080000Z")
    if samba:
        uid_number = 10000 + i
        gid_number = 10000 if kind == "S" else 20000
        lines.append(f"uidNumber: {uid_number}")
        lines.append(f"gidNumber: {gid_number}")
        lines.append(f"homeDirectory: /home/{uid}")
        lines.append("loginShell: /bin/bash")
        if not to_activate:
            lines.append(f"shadowLastChange: {SHADOW_LAST_CHANGE}")
        lines.append(f"sambaSID: {DOMAIN_SID}-{2 * uid_number + 1000}")
        # A newcomer has the classes the password will need and no hash:
        # the gateway writes the NT hash along with the chosen password.
        if not to_activate:
            lines.append(f"sambaNTPassword: {nt_hash(password)}")
            lines.append(f"sambaPwdLastSet: {PWD_LAST_SET}")
        lines.append("sambaAcctFlags: [U          ]")
    if question:
        lines.append(f"passerelleQuestion: {question}")
    if uid == "omartin":
        # 000001010000Z: locked until an administrator (or a reset) unlocks.
        lines.append("pwdAccountLockedTime: 000001010000Z")
    return "\n".join(lines) + "\n"


def main():
    header = """# Demo people for the test and demo directory, loaded with `slapadd -n1`
# after base.ldif. GENERATED by tools/gen_demo_people.py: edit the table there
# and regenerate. Every person's initial password is in the comment above the
# entry and in demo-people.md (the newcomers to activate have none yet).
# userPassword is {SSHA} (slapadd stores values as given); sambaNTPassword is
# the uppercase hex MD4 of the UTF-16LE password.
# Never load these people into a production directory.

"""
    body = "\n".join(entry(i + 1, p) for i, p in enumerate(PEOPLE))
    for cn, description, members in GROUPS:
        body += f"\n# The help desk's group {cn} (docs/helpdesk.md)\n"
        body += f"dn: cn={cn},ou=groups,dc=univ-exemple,dc=fr\n"
        body += "objectClass: groupOfNames\n"
        body += f"cn: {cn}\n"
        body += f"description: {description}\n"
        body += "".join(f"member: uid={m},{PEOPLE_DN}\n" for m in members)
    with open(os.path.join(LDAP_DIR, "demo-people.ldif"), "w", encoding="utf-8") as out:
        out.write(header + body)

    md = ["# Demo people",
          "",
          "The people of `demo-people.ldif` (generated by `tools/gen_demo_people.py`),",
          "under `ou=people,dc=univ-exemple,dc=fr`, login `uid`. Mail is",
          "`<login>@univ-exemple.fr`; the recovery address (`supannMailPerso`) is",
          "`<given>.<sn>@example.org` without accents. \"samba\" means",
          "`sambaSamAccount` + `posixAccount` + `shadowAccount` (NT hash of the",
          "initial password, `sambaPwdLastSet` 1735689600, `shadowLastChange` 20089).",
          "A question means `passerelleAccount` with `passerelleQuestion` set and",
          "no `passerelleAnswerHash` yet; the answer column is the suggested answer.",
          "No initial password: a newcomer IT created for « Activer mon compte »",
          "(`/activate`), marked `passerelleActivationPending: TRUE` on",
          "`passerelleAccount` (docs/provisioning.md); everyone else uses their",
          "account and carries no mark. Students carry their faculty in",
          "`departmentNumber` (`SCI` or `LET`).",
          "",
          "| login | student no. | INE | staff no. | birth date | initial password | samba | question / answer | notes |",
          "|---|---|---|---|---|---|---|---|---|"]
    for p in PEOPLE:
        (uid, kind, given, sn, dob, etu, ine, emp, password, samba, question, answer, notes) = p
        qa = f"{question} / {answer}" if question else ""
        shown = f"`{password}`" if password else ""
        md.append(f"| {uid} | {etu or ''} | {ine or ''} | {emp or ''} | {dob} | {shown} | {'yes' if samba else 'no'} | {qa} | {notes} |")
    md += ["",
           "## Help-desk agents",
           "",
           "Two of the staff are help-desk agents (`/helpdesk`, docs/helpdesk.md), each the",
           "member of a `groupOfNames` under `ou=groups` that the demo's profiles name:",
           "",
           "| agent | password | group | profile of `passerelle demo` |",
           "|---|---|---|---|",
           "| asupport | `Guichet-Bleu-2025` | `cn=helpdesk-it,ou=groups,dc=univ-exemple,dc=fr` | `it`: every person, every action, every way of verifying a caller |",
           "| blambert | `Registre-Vert-2025` | `cn=helpdesk-sciences,ou=groups,dc=univ-exemple,dc=fr` | `scolarite-sciences`: students of the science faculty (`departmentNumber: SCI`), in person or by identity; unlock, lift a freeze, send a reset, a temporary password on screen, the list |",
           "",
           "Service accounts (`ou=services`): `cn=passerelle` / `passerelle-demo-secret`,",
           "`cn=radius` / `radius-demo-secret`; rootdn `cn=admin,dc=univ-exemple,dc=fr`",
           "/ `admin-demo-secret` (also `cn=admin,cn=config`).",
           "",
           "`passerelle demo --preset NAME` reaches the same people as its seed would:",
           "with `efp` and `caf-services` by their `mail` (`<login>@univ-exemple.fr`,",
           "also where mail goes), with `caf-partenaires` by `uid` (mail to `mail`),",
           "with `ecolesoft` by a family number the demo writes into `employeeNumber`",
           "at start (`src/demo.rs`, `FAMILY_NUMBERS`: jdupont 123456780123001,",
           "mlefevre 123456780123002, jbernard 123456780123003, prichard",
           "123456780123004; mail to `supannMailPerso`).",
           ""]
    with open(os.path.join(LDAP_DIR, "demo-people.md"), "w", encoding="utf-8") as out:
        out.write("\n".join(md))


if __name__ == "__main__":
    main()
