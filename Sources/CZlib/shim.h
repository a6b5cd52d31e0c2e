// zlib, for PNG's deflate stream and CRC-32 (Debian: zlib1g-dev, pkg-config: zlib).
#include <zlib.h>
