"""Pictures for upload tests: a phone photo with its GPS position in EXIF and XMP, and
files that only pretend to be pictures."""

import struct
import zlib
from io import BytesIO

from PIL import Image

# Where the photo says it was taken (Union Square): nothing of it may reach a page.
GPS_IFD = 0x8825
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="40,44.154N" exif:GPSLongitude="73,59.466W"/></rdf:RDF></x:xmpmeta>'
)


def gps_photo(width: int = 2000, height: int = 1200, orientation: int = 1) -> bytes:
    """A JPEG as a phone takes it: camera make, orientation (6: held upright, stored
    sideways), GPS position, XMP."""
    picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "PhonyPhone"  # Make
    exif[0x0110] = "Model 12"  # Model
    exif[0x0112] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (40.0, 44.0, 9.24), 3: "W", 4: (73.0, 59.0, 27.96)})
    out = BytesIO()
    picture.save(out, "JPEG", exif=exif.tobytes(), xmp=XMP, quality=85)
    data = out.getvalue()
    assert b"PhonyPhone" in data and b"GPSLatitude" in data  # the test photo is what it says
    return data


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height pixels: a decompression bomb's shape."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def has_no_metadata(data: bytes) -> bool:
    """No EXIF, no XMP, nothing of the camera or the place in a served picture."""
    picture = Image.open(BytesIO(data))
    return (
        len(picture.getexif()) == 0
        and "xmp" not in picture.info
        and "exif" not in picture.info
        and not any(marker in data for marker in (b"Exif", b"GPS", b"PhonyPhone", b"xmpmeta"))
    )
