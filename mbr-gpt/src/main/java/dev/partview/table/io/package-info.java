/**
 * The one door bytes come through: {@link dev.partview.table.io.ByteSource} (size and positional
 * reads, safe from many threads) over a file channel or a byte array.
 */
package dev.partview.table.io;
