"""One row per (network, member municipality): the membership as a record of its own, for
registries and joins that should not unpack a network's member list."""

from __future__ import annotations

from typing import Any

from ..model import content_id


def membership_rows(networks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for network in networks:
        for member in network["members"]:
            first = member["sources"][0] if member["sources"] else {}
            rows.append({
                "membership_id": "mem_" + content_id(network["network_id"], member["kommunekode"], length=12),
                "network_id": network["network_id"],
                "kommunekode": member["kommunekode"],
                "name": member.get("name"),
                "doc_id": first.get("doc_id"),
                "text": first.get("text"),
                "start": first.get("start"),
                "end": first.get("end"),
                "page": first.get("page"),
                "sources": member["sources"],
            })
    return sorted(rows, key=lambda r: (r["network_id"], r["kommunekode"]))
