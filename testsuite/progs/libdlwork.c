/* The library dlloop opens and closes: about a millisecond of CPU a call. */
static volatile unsigned long lib_sink;

__attribute__((noinline)) unsigned long lib_work(unsigned long seed)
{
	unsigned long h = seed;

	for (int i = 0; i < 300000; i++)
		h = (h ^ (h >> 11)) * 0x9e3779b97f4a7c15UL + (unsigned long)i;
	lib_sink += h;
	return h & 1;
}
