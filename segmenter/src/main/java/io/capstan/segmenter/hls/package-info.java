/** Cutting one output's packets into HLS slices at keyframes on slice boundaries, and its playlist. */
package io.capstan.segmenter.hls;
