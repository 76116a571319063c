/* Must not link: a writable global inside the image. */
#include "vmi_rom.h"

uint64_t bad_counter = 1;

uint64_t bad_count(void)
{
	return bad_counter++;
}
