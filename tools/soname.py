#!/usr/bin/env python3
"""soname.py LIBDIR NAME: prints the SONAME of LIBDIR/libNAME.so.

meson passes it to the C code (common/dynlib.h), so a library opened on
first use is the very one whose headers mamori was compiled against.
"""
import os
import re
import subprocess
import sys

path = os.path.join(sys.argv[1], "lib" + sys.argv[2] + ".so")
out = subprocess.run(["readelf", "-d", os.path.realpath(path)], check=True,
                     capture_output=True, text=True).stdout
m = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
if not m:
    sys.exit("soname.py: %s has no SONAME" % path)
print(m.group(1))
