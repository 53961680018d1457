"""The operating system's file errors in plain words a shop owner understands
("the disk is full", "the folder is read-only…") instead of ``[Errno 28]``."""

from __future__ import annotations

import errno

_WORDS = {
    errno.ENOSPC: "the disk is full",
    errno.EFBIG: "the file is larger than this system allows, or the disk is full",
    errno.EROFS: "the disk is read-only (a read-only medium or mount)",
    errno.EACCES: "the folder is read-only or you are not allowed to write there",
    errno.EPERM: "the folder is read-only or you are not allowed to write there",
    errno.ENOTDIR: "a file stands where the folder should be",
    errno.EEXIST: "a file stands where the folder should be",
    errno.EISDIR: "a folder stands where a file should be",
    errno.ENOENT: "it does not exist",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ELOOP: "it is a loop of symbolic links",
    errno.EIO: "the disk reported an error",
    errno.EMFILE: "too many files are open",
    errno.ENFILE: "too many files are open",
}
if hasattr(errno, "EDQUOT"):  # not on Windows
    _WORDS[errno.EDQUOT] = "the disk is full (your disk quota is used up)"
_NOT_ALLOWED = (errno.EACCES, errno.EPERM)


def describe_os_error(error: OSError, *, reading: bool = False) -> str:
    """What went wrong, in words (no file name: the caller names the file);
    ``reading`` when the file was being read rather than written."""
    if reading and error.errno in _NOT_ALLOWED:
        return "you are not allowed to read it (check its permissions)"
    words = _WORDS.get(error.errno) if error.errno is not None else None
    if words is not None:
        return words
    if isinstance(error, (NotADirectoryError, FileExistsError)):
        return "a file stands where the folder should be"
    return (error.strerror or type(error).__name__).rstrip(".").lower()
