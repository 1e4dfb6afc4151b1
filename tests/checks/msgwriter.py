"""Write a small Outlook .msg (an OLE2 compound file) for tests, so .msg support is tested on a real file.

Compound File Binary format version 3 ([MS-CFB]): 512-byte sectors, every stream under 4096 bytes in
the mini stream. Properties follow [MS-OXMSG]: string properties in `__substg1.0_<id><type>` streams.
Written for these tests only; no .msg from elsewhere is copied into the repository.
"""

from __future__ import annotations

import struct

SECTOR = 512
MINI = 64
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _props_stream(top_level: bool, attachments: int = 0, fixed: list[tuple[int, int, int]] = ()) -> bytes:
    header = struct.pack("<8xIIII8x", 0, attachments, 0, attachments) if top_level else b"\x00" * 8
    body = b"".join(struct.pack("<HHIQ", ptype, pid, 6, value) for pid, ptype, value in fixed)
    return header + body


def _string(pid: int, text: str) -> tuple[str, bytes]:
    return f"__substg1.0_{pid:04X}001F", text.encode("utf-16-le")


def _binary(pid: int, data: bytes) -> tuple[str, bytes]:
    return f"__substg1.0_{pid:04X}0102", data


def build_msg(*, subject: str, headers: str, body: str, html: str | None = None,
              attachments: list[tuple[str, bytes]] = ()) -> bytes:
    """An IPM.Note with transport headers, plain and HTML bodies and attachments by value."""
    root: list = [
        ("__properties_version1.0", _props_stream(True, len(attachments))),
        _string(0x001A, "IPM.Note"),
        _string(0x0037, subject),
        _string(0x007D, headers),
        _string(0x1000, body),
        ("__nameid_version1.0", [("__substg1.0_00020102", b""), ("__substg1.0_00030102", b""), ("__substg1.0_00040102", b"")]),
    ]
    if html is not None:
        root.append(_binary(0x1013, html.encode("utf-8")))
    for index, (name, data) in enumerate(attachments):
        root.append((f"__attach_version1.0_#{index:08X}", [
            ("__properties_version1.0", _props_stream(False, fixed=[(0x3705, 0x0003, 1)])),
            _string(0x3707, name),
            _string(0x3704, name[:8]),
            _binary(0x3701, data),
        ]))
    return _compound(root)


def _compound(tree: list) -> bytes:
    # Flatten the tree into directory entries: [name, type, data, child_ids]
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "data": b"", "kids": []}]

    def add(parent: int, items: list) -> None:
        for name, content in items:
            entry = {"name": name, "type": 1 if isinstance(content, list) else 2, "data": b"" if isinstance(content, list) else content, "kids": []}
            entries.append(entry)
            entry_id = len(entries) - 1
            entries[parent]["kids"].append(entry_id)
            if isinstance(content, list):
                add(entry_id, content)

    add(0, tree)
    # Mini stream: every stream's data padded to 64 bytes.
    mini = bytearray()
    minifat: list[int] = []
    for entry in entries:
        if entry["type"] == 2 and entry["data"]:
            start = len(mini) // MINI
            count = (len(entry["data"]) + MINI - 1) // MINI
            entry["start"] = start
            mini += entry["data"] + b"\x00" * (count * MINI - len(entry["data"]))
            minifat += [start + i + 1 for i in range(count - 1)] + [END]
        else:
            entry["start"] = END if entry["type"] == 2 else 0
    n_dir = (len(entries) * 128 + SECTOR - 1) // SECTOR
    n_minifat = (len(minifat) * 4 + SECTOR - 1) // SECTOR
    n_mini = (len(mini) + SECTOR - 1) // SECTOR
    others = n_dir + n_minifat + n_mini
    n_fat = 1
    while n_fat * (SECTOR // 4) < others + n_fat:
        n_fat += 1
    fat: list[int] = []

    def chain(first: int, count: int) -> None:
        fat.extend([first + i + 1 for i in range(count - 1)] + [END] if count else [])

    chain(0, n_dir)
    chain(n_dir, n_minifat)
    chain(n_dir + n_minifat, n_mini)
    fat += [FATSECT] * n_fat
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))
    entries[0]["start"] = n_dir + n_minifat if n_mini else END
    entries[0]["size"] = len(mini)

    # Siblings: each storage's children hang off its `child` as a chain of right siblings.
    for entry in entries:
        entry.setdefault("left", NOSTREAM)
        entry.setdefault("right", NOSTREAM)
        entry["child"] = NOSTREAM
    for entry in entries:
        kids = sorted(entry["kids"], key=lambda k: (len(entries[k]["name"]), entries[k]["name"].upper()))
        if kids:
            entry["child"] = kids[0]
            for a, b in zip(kids, kids[1:]):
                entries[a]["right"] = b

    directory = bytearray()
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\x00\x00"
        size = entry.get("size", len(entry["data"]))
        directory += struct.pack("<64sHBBIII16sIQQIQ", name, len(name), entry["type"], 1, entry["left"], entry["right"],
                                 entry["child"], b"\x00" * 16, 0, 0, 0, entry["start"], size)
    directory += b"\x00" * (n_dir * SECTOR - len(directory))
    for i in range(len(entries), n_dir * SECTOR // 128):  # unused entries
        offset = i * 128
        directory[offset + 68: offset + 80] = struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat) if minifat else b""
    minifat_bytes += struct.pack("<I", FREE) * ((n_minifat * SECTOR - len(minifat_bytes)) // 4)
    mini_bytes = bytes(mini) + b"\x00" * (n_mini * SECTOR - len(mini))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    difat = [others + i for i in range(n_fat)] + [FREE] * (109 - n_fat)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x00" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\x00" * 6,
        0, n_fat, 0, 0, 4096, n_dir if n_minifat else END, n_minifat, END, 0,
    ) + struct.pack("<109I", *difat)
    # first mini FAT sector is right after the directory
    header = header[:60] + struct.pack("<I", n_dir if n_minifat else END) + header[64:]
    return header + bytes(directory) + minifat_bytes + mini_bytes + fat_bytes
