/* Must not assemble: a vendor name longer than 16 characters. */
#include "native_with.h"

NATIVE_ROM_BODY("a-vendor-name-too-long")
