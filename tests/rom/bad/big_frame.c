/* Must not compile: a C function with a frame above the per-function limit. */
#include "vmi_rom.h"

uint64_t bad_sum(const uint64_t *in)
{
	volatile uint64_t buffer[64];
	uint64_t sum = 0;

	for (int i = 0; i < 64; i++)
		buffer[i] = in[i];
	for (int i = 0; i < 64; i++)
		sum += buffer[i];
	return sum;
}
