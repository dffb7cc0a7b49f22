/** File names exactly as the reference product names them; pure, no I/O. */
package io.capstan.segmenter.naming;
