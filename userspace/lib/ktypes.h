/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's basic types and helpers for the module's plain-C files built in userspace. */
#ifndef SLUICE_KTYPES_H
#define SLUICE_KTYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int16_t s16;
typedef int32_t s32;

#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

/* Single-threaded stand-ins: the plain-C files are only run by tests here. */
typedef struct {
	int counter;
} atomic_t;

static inline int atomic_read(const atomic_t *v)
{
	return v->counter;
}

static inline void atomic_set(atomic_t *v, int i)
{
	v->counter = i;
}

#ifndef READ_ONCE
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif
