"""Zip members as every archive we write makes them: a fixed date, so that the same data gives the
same bytes, deflated, and a regular file's mode (rw-r--r--), so that unzipped files are readable by
the team, not only by whoever unzipped them (zipfile's default is no permissions)."""

import stat
import zipfile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def zip_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so unzip applies the mode
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info
