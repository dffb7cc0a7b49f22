/**
 * Background and placeholder images (backgroundImage, defaultUserBackgroundImage,
 * backgroundConfig), which REST callers name by URL. Two threads of concern meet here: the mixing
 * loop, which every job of the service shares and which must never wait for a URL, and the
 * {@link io.capstan.mixer.image.ImagePool}'s few threads, which do the waiting. A job's
 * {@link io.capstan.mixer.image.ImageCache} lives on the loop: it starts loads, takes pictures
 * once they are ready and reports failures as the job's warnings. Ownership of a picture passes
 * through the load's future: the cache closes what it took, and a picture that arrives for a job
 * that no longer wants it is closed by the pool thread that made it.
 *
 * <p>Every limit is a defence against the URL's owner: the address rule (no loopback, private or
 * metadata hosts, redirects checked hop by hop), one deadline per fetch, a byte limit on the body
 * and a pixel limit on the header, read before anything is decoded.
 */
package io.capstan.mixer.image;
