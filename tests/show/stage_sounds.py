"""Small, real sound files made in the test (the product ships none): a WAV written by the wave
module, an MP3 of two MPEG-1 Layer III frames, an Ogg Vorbis identification page."""
from __future__ import annotations

import io
import math
import struct
import wave


def wav(seconds: float = 0.5, rate: int = 8000, tone: float = 440.0) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * tone * n / rate)))
                                   for n in range(int(seconds * rate))))
    return out.getvalue()


def mp3(frames: int = 2) -> bytes:
    """An ID3v2 tag, then FRAMES frames of 128 kbit/s at 44.1 kHz (417 bytes each, silent)."""
    tag = b"ID3\x03\x00\x00" + bytes([0, 0, 0, 10]) + b"\x00" * 10
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    return tag + frame * frames


def ogg() -> bytes:
    packet = b"\x01vorbis" + b"\x00" * 22
    return (b"OggS\x00\x02" + b"\x00" * 8 + b"\x01\x00\x00\x00" + b"\x00" * 8 + bytes([1, len(packet)])
            + packet + b"\x00" * 64)
