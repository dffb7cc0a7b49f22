/** One job's outputs: which HLS outputs its packets feed, and the files and events they make. */
package io.capstan.segmenter.job;
