"""What an uploaded sound is, told by its bytes, never by its name, before it is kept.

An MP3 is an ID3 tag (skipped) then MPEG audio frames: two frame headers in a row, the second
where the first says its frame ends, so a renamed file or a cut, corrupt one is refused. An OGG
file is Ogg pages ("OggS", version 0) carrying Vorbis, Opus or FLAC; a WAV file is
"RIFF....WAVE" with its "fmt " chunk. The upload is copied in blocks into a file of the instance
folder and refused as soon as it passes the limit, so a large one is never held in memory.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import BinaryIO

from conference.core.errors import ConferenceError

MAX_SOUND_BYTES = 30 * 1024 * 1024
BLOCK = 64 * 1024
MIME = {"mp3": "audio/mpeg", "ogg": "audio/ogg", "wav": "audio/wav"}
EXTENSIONS = {"mp3": "mp3", "ogg": "ogg", "oga": "ogg", "opus": "ogg", "wav": "wav"}

# MPEG audio: bitrates (kbit/s) by version (1 or 2/2.5) and layer; sample rates by version.
_BITRATES = {
    (1, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (1, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (1, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (2, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_BITRATES[(2, 3)] = _BITRATES[(2, 2)]
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits


def not_a_sound(name: str) -> ConferenceError:
    return ConferenceError("not_a_sound", "Tệp “%(name)s” không phải âm thanh MP3, OGG hoặc WAV hợp lệ "
                                             "(nội dung không đúng như tên tệp), nên không được lưu.",
                           name=name)


def sound_too_large() -> ConferenceError:
    return ConferenceError("sound_too_large", "Tệp âm thanh lớn quá %(mb)d MB.", 413,
                           mb=MAX_SOUND_BYTES // (1024 * 1024))


def kind_by_name(name: str) -> str:
    """mp3, ogg or wav, from the file's extension; anything else is refused."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise not_a_sound(name)
    return EXTENSIONS[extension]


def receive(stream: BinaryIO, folder: Path, limit: int = MAX_SOUND_BYTES) -> Path:
    """Copy STREAM into a new file of FOLDER, refusing (and removing it) past LIMIT bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"upload-{secrets.token_hex(8)}.part"
    written = 0
    try:
        with open(path, "wb") as out:
            while block := stream.read(BLOCK):
                written += len(block)
                if written > limit:
                    raise sound_too_large()
                out.write(block)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def sound_kind(path: Path) -> str | None:
    """mp3, ogg or wav if the file's bytes are one, else None."""
    with open(path, "rb") as file:
        head = file.read(BLOCK)
        if _is_wav(head):
            return "wav"
        if _is_ogg(head):
            return "ogg"
        start = _id3_end(head)
        file.seek(start)
        frames = file.read(8192)
    return "mp3" if _two_frames(frames) else None


def _is_wav(head: bytes) -> bool:
    return len(head) >= 44 and head[:4] == b"RIFF" and head[8:12] == b"WAVE" and b"fmt " in head[12:512]


def _is_ogg(head: bytes) -> bool:
    if len(head) < 64 or head[:4] != b"OggS" or head[4] != 0:
        return False
    segments = head[26]
    packet = head[27 + segments:27 + segments + 8]
    return packet.startswith((b"\x01vorbis", b"OpusHead", b"\x7fFLAC"))


def _id3_end(head: bytes) -> int:
    """Where the audio starts: after an ID3v2 tag (its size is four 7-bit bytes), or at 0."""
    if head[:3] != b"ID3" or len(head) < 10 or any(byte & 0x80 for byte in head[6:10]):
        return 0
    size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
    return 10 + size + (10 if head[5] & 0x10 else 0)  # a footer, if the flags say so


def _frame_length(data: bytes, at: int) -> int | None:
    """The length of the MPEG audio frame whose header is at AT, or None if there is none."""
    if at + 4 > len(data) or data[at] != 0xFF or data[at + 1] & 0xE0 != 0xE0:
        return None
    version_bits, layer_bits = (data[at + 1] >> 3) & 3, (data[at + 1] >> 1) & 3
    bitrate_index, rate_index = data[at + 2] >> 4, (data[at + 2] >> 2) & 3
    if version_bits == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    version, layer = (1 if version_bits == 3 else 2), 4 - layer_bits
    bitrate = _BITRATES[(version, layer)][bitrate_index] * 1000
    rate = _RATES[version_bits][rate_index]
    padding = (data[at + 2] >> 1) & 1
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    return (144 if version == 1 or layer == 2 else 72) * bitrate // rate + padding


def _two_frames(data: bytes) -> bool:
    first = _frame_length(data, 0)
    return first is not None and _frame_length(data, first) is not None


def keep(path: Path, kind: str) -> str:
    """Give an accepted upload its final name (random, with its true extension); returns the name."""
    name = f"cue-{secrets.token_hex(12)}.{kind}"
    os.replace(path, path.parent / name)
    return name
