"""Generate ``src/iamd/data/aws_managed_policies.json.gz`` from maintained data.

The source is the AWS managed policy list that the ``moto`` package ships
(``moto.iam.aws_managed_policies.aws_managed_policies_data``), which moto refreshes from AWS with
a script of its own. Re-run this after upgrading moto to refresh iamd's copy:

    .venv/bin/python scripts/generate_aws_managed_policies.py

That list carries each policy's name, path, default version id, document, creation and update
dates, but not AWS's policy ids (``ANPA…``) nor the documents of non-default versions. iamd
derives a stable id from the policy's ARN (the same on every installation) and serves the
default version only (docs/aws-managed-policies.md).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from moto.iam.aws_managed_policies import aws_managed_policies_data

OUT = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "iamd"
    / "data"
    / "aws_managed_policies.json.gz"
)


def policy_id(arn: str) -> str:
    digest = hashlib.sha256(arn.encode()).digest()
    return "ANPA" + base64.b32encode(digest).decode()[:17]


def main() -> None:
    source = json.loads(aws_managed_policies_data)
    policies = []
    for name in sorted(source):
        entry = source[name]
        path = entry["Path"]
        arn = f"arn:aws:iam::aws:policy{path}{name}"
        policies.append(
            {
                "name": name,
                "path": path,
                "arn": arn,
                "id": policy_id(arn),
                "default_version_id": entry["DefaultVersionId"],
                "created_at": entry["CreateDate"],
                "updated_at": entry["UpdateDate"],
                # Documents are kept as AWS serves them: compact JSON text.
                "document": json.dumps(entry["Document"], separators=(",", ":")),
            }
        )
    data = {"source": f"moto {version('moto')}", "policies": policies}
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"{len(policies)} AWS managed policies from {data['source']} -> {OUT}")


if __name__ == "__main__":
    main()
