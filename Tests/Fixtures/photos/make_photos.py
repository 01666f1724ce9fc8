"""Makes the review app's upload fixtures (issue #26): small real photos with EXIF capture time and
GPS, written by Pillow (`pip install pillow`). The committed files are what the tests read; this
script says how they were made. Run from this folder."""
from fractions import Fraction
from PIL import Image, ImageDraw

def exif(when, lat, lon):
    e = Image.Exif()
    e[0x0110] = "MuckWatch fixture"                       # Model
    e.get_ifd(0x8769)[0x9003] = when                       # DateTimeOriginal
    gps = e.get_ifd(0x8825)
    def dms(x):
        x = abs(x); d = int(x); m = int((x - d) * 60); s = round(((x - d) * 60 - m) * 60 * 100)
        return (Fraction(d), Fraction(m), Fraction(s, 100))
    gps[1] = "N" if lat >= 0 else "S"; gps[2] = dms(lat)
    gps[3] = "E" if lon >= 0 else "W"; gps[4] = dms(lon)
    return e

def picture(colour):
    im = Image.new("RGB", (320, 240), colour)
    d = ImageDraw.Draw(im)
    d.rectangle((40, 150, 280, 220), fill=(120, 90, 60))   # a heap of muck
    d.ellipse((230, 20, 290, 80), fill=(250, 220, 90))
    return im

picture((150, 190, 230)).save("roadside.jpg", quality=80, exif=exif("2026:11:21 08:15:30", 30.807812, 108.408236))
picture((160, 200, 160)).save("heap.png", exif=exif("2026:11:21 08:20:05", 30.811100, 108.401900))
picture((200, 180, 160)).save("verge.webp", quality=70, exif=exif("2026:11:21 08:25:45", 30.790000, 108.380000))
picture((220, 220, 220)).save("plain.jpg", quality=80)   # no EXIF at all
