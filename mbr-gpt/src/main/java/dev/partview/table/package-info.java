/**
 * Reads MBR (with its EBR chain) and GPT partition tables from a {@link
 * dev.partview.table.io.ByteSource} into immutable records. Pure Java: no native code, no FUSE, no
 * picocli. {@link dev.partview.table.Partition} is the one view of a partition that the other
 * modules see; raw on-disk entries stay private to this package. Every anomaly becomes a {@link
 * dev.partview.table.Diagnostic} on the table; unreadable input is a {@link
 * dev.partview.table.PartitionTableException} naming the structure and the byte offset.
 */
package dev.partview.table;
