/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What version 2.0 of the data file adds (ebpf-tool-data(5)): STACK
 * records that take their outer frames from a stack defined before, and
 * SAMPLES records that hold samples column by column.  Both halves, the
 * writer's and the reader's, live here so that they cannot drift apart;
 * datafile-write.c and datafile-read.c do the record framing.
 */
#ifndef EBPF_TOOL_DATAFILE_COLS_H
#define EBPF_TOOL_DATAFILE_COLS_H

#include <stddef.h>
#include <stdint.h>

#include "data/datafile.h"
#include "data/datafile-format.h"

/*
 * Frames of the stacks that later STACK records may name as their base,
 * reader and writer alike, each stack counting one more than its frames:
 * a stack is held when the count so far plus its own stays within this,
 * so memory is bounded whatever the file says, and both sides agree on
 * which stacks are held.
 */
#define DF_MAX_HELD_FRAMES	(1u << 18)

struct df_held {
	uint32_t id;
	uint16_t nk, n;		/* kernel frames, all frames */
	uint8_t stale;		/* its id was defined again since */
	uint64_t ips[];
};

struct df_chunk;

/* Open addressing, linear probing, 64-bit keys, non-NULL values. */
struct df_tab {
	uint64_t *keys;
	void **vals;
	size_t cap, n;
};

struct df_stackset {
	struct df_tab ids;	/* stack id + 1 -> its held definition */
	struct df_tab suffix;	/* writer: hash of outer frames -> held */
	struct df_chunk *chunks;	/* where the held stacks are, for freeing */
	size_t chunk_used;
	uint64_t frames;
	int writer;
	uint64_t next_id;	/* the id after the block's last STACK: reset per block */
	struct df_stack_base last;	/* writer: the last stack's base, if has_last */
	int has_last;
	int full;		/* a stack was not held: emptied at the next block */
};

void df_stackset_release(struct df_stackset *s);
/* At the start of every block: its id coding, and emptied if it is full. */
void df_stackset_block(struct df_stackset *s);
/* Bytes a STACK record of n frames takes at most. */
#define DF_STACK2_MAX	(5 * DF_VARINT_MAX + DF_MAX_FRAMES * DF_VARINT_MAX)
/* Encodes a STACK payload into buf (DF_STACK2_MAX) and holds the stack. */
int df_stack2_encode(struct df_stackset *s, uint32_t id, const uint64_t *ips,
		     uint16_t nk, uint16_t nu, uint8_t *buf, size_t *len);
/* Its base, as df_writer_last_base() gives it: -ENOENT if none. */
int df_stack2_last_base(const struct df_stackset *s, struct df_stack_base *b);
/*
 * Decodes one; ips must hold DF_MAX_FRAMES.  Returns 0, a DF_E_* code
 * (positive) for bad input.
 */
int df_stack2_decode(struct df_stackset *s, struct df_cur *c, uint32_t *id,
		     uint64_t *ips, uint16_t *nk, uint16_t *nu);

/* The five columns of a SAMPLES record, in the order they are stored. */
enum { DF_COL_TIME, DF_COL_CPU, DF_COL_TASK, DF_COL_STACK, DF_COL_WEIGHT,
       DF_NCOLS };

/*
 * State the SAMPLES records of a block are coded against, each going on
 * from the one before: reset at the start of every block.
 */
struct df_colstate {
	uint64_t prev_time;
	uint64_t next_stack;
	uint64_t slot_time[DF_CPU_SLOTS];
	struct df_cpu_slot slot[DF_CPU_SLOTS];
	uint8_t seen[DF_CPU_SLOTS];
};

struct df_colenc {
	uint8_t *col[DF_NCOLS];
	size_t len[DF_NCOLS], cap[DF_NCOLS];
	uint64_t n;
	uint64_t period;
	uint32_t min_stack, max_stack;	/* of the samples pending */
	uint64_t tasks[4];	/* bits by hash of the pending samples' pids and tids */
	struct df_colstate st;
};

/* After a record: the samples are gone, the block's state stays. */
void df_colenc_clear(struct df_colenc *e);
/* At the start of a block. */
void df_colenc_reset(struct df_colenc *e);
void df_colenc_release(struct df_colenc *e);
/* Bytes the record would take now, framing excluded. */
size_t df_colenc_size(const struct df_colenc *e);
/* Whether a pending sample may have pid or tid id (false: none has). */
int df_colenc_has_task(const struct df_colenc *e, uint32_t id);
/* A sample of event 0 without retval or interval.  0 or -ENOMEM. */
int df_colenc_add(struct df_colenc *e, const struct df_sample *s);
/* Writes the payload into out (df_colenc_size() + 8 * DF_VARINT_MAX). */
size_t df_colenc_payload(const struct df_colenc *e, uint8_t *out);

typedef int (*df_sample_fn)(void *arg, const struct df_sample *s);
/*
 * Decodes a SAMPLES payload, calling fn for each sample; st is the
 * block's, zeroed at its start.  Returns 0, a
 * positive DF_E_* code for bad input, or fn's negative result.
 */
int df_cols_decode(struct df_colstate *st, struct df_cur *c, df_sample_fn fn,
		   void *arg);

#endif
