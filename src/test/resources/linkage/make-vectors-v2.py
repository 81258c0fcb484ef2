#!/usr/bin/env python3
"""Writes src/main/resources/pseudonymisation/test-vectors-v2.json from the normalised strings that
VectorInputs prints (label TAB string; 'person TAB json' starts each person). Every HMAC is computed
by `openssl dgst -sha256 -mac HMAC`, never by the gateway's code; the key is the published test key.

    java -cp ... org.linkgate.linkage.VectorInputs > strings.txt
    python3 src/test/resources/linkage/make-vectors-v2.py strings.txt > src/main/resources/pseudonymisation/test-vectors-v2.json
"""
import json
import subprocess
import sys

TEST_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"


def hmac(hexkey, message):
    out = subprocess.run(["openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:" + hexkey],
                         input=message.encode("utf-8"), capture_output=True, check=True).stdout.decode()
    return out.strip().split()[-1]


derived = {}
people = []
for line in open(sys.argv[1], encoding="utf-8"):
    label, value = line.rstrip("\n").split("\t", 1)
    if label == "person":
        record = json.loads(value)
        people.append({"input": {k: record[k] for k in
                                 ("forename", "surname", "dateOfBirth", "sex", "postcode", "nhsNumber")},
                       "keys": [], "tokens": []})
        continue
    if label not in derived:
        derived[label] = hmac(TEST_KEY, "linkage-key-v2|" + label)
    kind = "keys" if label.startswith("mk-") else "tokens"
    people[-1][kind].append({"label": label, "normalised": value, "hmac": hmac(derived[label], value)})

print(json.dumps({
    "spec": "NORMALISATION-v2.md",
    "algorithm": "HMAC-SHA-256 over the UTF-8 bytes of the normalised string, lower-case hex, under the label's derived key",
    "keyDerivation": "derived key of a label = raw bytes of HMAC-SHA-256(pseudonymisation key, 'linkage-key-v2|' + label)",
    "testKeyHex": TEST_KEY,
    "derivedKeys": derived,
    "note": "Every HMAC was computed with `openssl dgst -sha256 -mac HMAC`, independently of the gateway's code."
            " The key is a published test key, never used for real data. Stored forms are prefixes:"
            " match keys 32 hex characters, tokens 16, name-edit variants 12.",
    "people": people,
}, indent=2, ensure_ascii=False))
