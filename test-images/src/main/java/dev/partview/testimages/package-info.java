/**
 * Test support for every module: {@link dev.partview.testimages.DiskImageBuilder} writes MBR, EBR
 * and GPT bytes itself and is the independent oracle for the table parser (this package must never
 * depend on mbr-gpt); {@link dev.partview.testimages.Corruptor} damages one field per negative
 * test; {@link dev.partview.testimages.Corpus} reaches the real images in {@code shared/corpus};
 * {@link dev.partview.testimages.IntegrationEnvironment} gates tests that need root, FUSE, loop
 * devices or tools; {@link dev.partview.testimages.Tool} runs those tools, {@link
 * dev.partview.testimages.LoopAttachment} attaches an image with a given sector size and {@link
 * dev.partview.testimages.ToolImages} makes images with them.
 */
package dev.partview.testimages;
