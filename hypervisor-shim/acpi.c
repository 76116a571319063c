// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Minimal ACPI tables: the stock Linux kernel finds its CPUs in the MADT
 * (its MP-table parser is not built), and powers off and resets through
 * the FADT's PM1a control and reset registers, which the shim emulates.
 */
#include <string.h>

#include "layout.h"
#include "shim.h"

#define ACPI_OEM_ID "VMISHM"
#define ACPI_OEM_TABLE "VMISHIM "
#define FADT_REVISION 6
#define FADT_SIZE 276
#define FADT_FLAG_WBINVD (1U << 0)
#define FADT_FLAG_RESET_REG (1U << 10)
#define FADT_BOOT_VGA_NOT_PRESENT (1U << 2)
#define FADT_BOOT_NO_MSI (1U << 3)
#define FADT_BOOT_NO_CMOS_RTC (1U << 5)
#define ACPI_SCI_IRQ 9
#define GAS_SYSTEM_IO 1
#define MADT_PCAT_COMPAT 1
#define MADT_LAPIC 0
#define MADT_IOAPIC 1

struct sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

struct rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));

/* Name (_S5, Package () { S5, S5 }): the SLP_TYP the guest writes to power off. */
static const uint8_t dsdt_aml[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02,
	0x0a, SHIM_ACPI_S5_TYPE, 0x0a, SHIM_ACPI_S5_TYPE,
};

/* Bump allocator over the ACPI area, 16-byte aligned. */
struct acpi_area {
	struct shim_vm *vm;
	uint64_t next;
};

static uint8_t *acpi_alloc(struct acpi_area *area, uint64_t size, uint64_t *gpa)
{
	uint64_t at = (area->next + 15) & ~15ULL;

	if (at + size > SHIM_ACPI_END)
		shim_fatal("ACPI tables do not fit below 1 MiB");
	area->next = at + size;
	*gpa = at;
	return area->vm->mem.ram + at;
}

static uint8_t checksum(const void *data, size_t size)
{
	const uint8_t *bytes = data;
	uint8_t sum = 0;

	while (size--)
		sum += *bytes++;
	return (uint8_t)-sum;
}

static void fill_header(void *table, const char *signature, uint32_t length, uint8_t revision)
{
	struct sdt_header header = { .length = length, .revision = revision, .oem_revision = 1,
				     .creator_revision = 1 };

	memcpy(header.signature, signature, 4);
	memcpy(header.oem_id, ACPI_OEM_ID, 6);
	memcpy(header.oem_table_id, ACPI_OEM_TABLE, 8);
	memcpy(header.creator_id, "VMIS", 4);
	memcpy(table, &header, sizeof(header));
	((struct sdt_header *)table)->checksum = checksum(table, length);
}

static uint64_t build_dsdt(struct acpi_area *area)
{
	uint32_t length = sizeof(struct sdt_header) + sizeof(dsdt_aml);
	uint64_t gpa;
	uint8_t *table = acpi_alloc(area, length, &gpa);

	memcpy(table + sizeof(struct sdt_header), dsdt_aml, sizeof(dsdt_aml));
	fill_header(table, "DSDT", length, 2);
	return gpa;
}

static void put_gas(uint8_t *at, uint16_t port, uint8_t bytes)
{
	struct gas gas = { .space_id = GAS_SYSTEM_IO, .bit_width = (uint8_t)(bytes * 8),
			   .access_size = bytes == 1 ? 1 : bytes == 2 ? 2 : 3, .address = port };

	memcpy(at, &gas, sizeof(gas));
}

static void put32(uint8_t *at, uint32_t value) { memcpy(at, &value, 4); }
static void put16(uint8_t *at, uint16_t value) { memcpy(at, &value, 2); }

static uint64_t build_fadt(struct acpi_area *area, uint64_t dsdt)
{
	uint64_t gpa;
	uint8_t *t = acpi_alloc(area, FADT_SIZE, &gpa);

	put32(t + 40, (uint32_t)dsdt);
	put16(t + 46, ACPI_SCI_IRQ);
	put32(t + 56, SHIM_PORT_PM1A_EVT);
	put32(t + 64, SHIM_PORT_PM1A_CNT);
	t[88] = 4;	/* PM1_EVT_LEN */
	t[89] = 2;	/* PM1_CNT_LEN */
	put16(t + 109, FADT_BOOT_VGA_NOT_PRESENT | FADT_BOOT_NO_MSI | FADT_BOOT_NO_CMOS_RTC);
	put32(t + 112, FADT_FLAG_WBINVD | FADT_FLAG_RESET_REG);
	put_gas(t + 116, SHIM_PORT_RESET, 1);
	t[128] = SHIM_ACPI_RESET_VALUE;
	memcpy(t + 140, &dsdt, 8);	/* X_DSDT */
	put_gas(t + 148, SHIM_PORT_PM1A_EVT, 4);
	put_gas(t + 172, SHIM_PORT_PM1A_CNT, 2);
	memcpy(t + 268, "VMISHIM ", 8);	/* hypervisor vendor identity */
	fill_header(t, "FACP", FADT_SIZE, FADT_REVISION);
	return gpa;
}

static uint64_t build_madt(struct acpi_area *area)
{
	uint32_t length = sizeof(struct sdt_header) + 8 + 8 * area->vm->nr_vcpus + 12;
	uint64_t gpa;
	uint8_t *t = acpi_alloc(area, length, &gpa);
	uint8_t *entry = t + sizeof(struct sdt_header) + 8;
	int cpu;

	put32(t + 36, (uint32_t)SHIM_LAPIC_GPA);
	put32(t + 40, MADT_PCAT_COMPAT);
	for (cpu = 0; cpu < area->vm->nr_vcpus; cpu++, entry += 8) {
		entry[0] = MADT_LAPIC;
		entry[1] = 8;
		entry[2] = (uint8_t)cpu;	/* ACPI processor UID */
		entry[3] = (uint8_t)cpu;	/* APIC ID = vCPU index (see kvm.c) */
		put32(entry + 4, 1);		/* enabled */
	}
	entry[0] = MADT_IOAPIC;
	entry[1] = 12;
	entry[2] = (uint8_t)area->vm->nr_vcpus;	/* IOAPIC ID after the CPUs' */
	put32(entry + 4, (uint32_t)SHIM_IOAPIC_GPA);
	put32(entry + 8, 0);			/* GSI base */
	fill_header(t, "APIC", length, 4);
	return gpa;
}

static uint64_t build_xsdt(struct acpi_area *area, const uint64_t *tables, int count)
{
	uint32_t length = sizeof(struct sdt_header) + 8 * count;
	uint64_t gpa;
	uint8_t *t = acpi_alloc(area, length, &gpa);

	memcpy(t + sizeof(struct sdt_header), tables, 8 * count);
	fill_header(t, "XSDT", length, 1);
	return gpa;
}

uint64_t acpi_build(struct shim_vm *vm)
{
	struct acpi_area area = { .vm = vm, .next = SHIM_ACPI_GPA };
	struct rsdp rsdp = { .revision = 2, .length = sizeof(struct rsdp) };
	uint64_t rsdp_gpa, tables[2];
	uint8_t *at = acpi_alloc(&area, sizeof(rsdp), &rsdp_gpa);

	tables[0] = build_fadt(&area, build_dsdt(&area));
	tables[1] = build_madt(&area);
	rsdp.xsdt_address = build_xsdt(&area, tables, 2);
	memcpy(rsdp.signature, "RSD PTR ", 8);
	memcpy(rsdp.oem_id, ACPI_OEM_ID, 6);
	rsdp.checksum = checksum(&rsdp, 20);
	rsdp.extended_checksum = checksum(&rsdp, sizeof(rsdp));
	memcpy(at, &rsdp, sizeof(rsdp));
	return rsdp_gpa;
}
