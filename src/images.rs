//! Gallery thumbnails: case covers scaled down at build time, turned upright from their
//! EXIF orientation (phone photos are often stored sideways), and cached by the hash of
//! the source bytes so a rebuild does not redo them.
//!
//! The cache lives in `.jianbao-cache/thumbs/` inside the content directory (ignored by
//! the loader, the watcher and git); a thumbnail's file name is the hash of its source and
//! its width, so an edited photo gets a new thumbnail and an unchanged one is reused.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader, metadata::Orientation};
use rayon::prelude::*;

use crate::error::Diagnostic;

/// Width of gallery thumbnails in pixels: sharp on a phone's 2x screen for a card
/// of up to 320 CSS pixels.
pub const THUMB_WIDTH: u32 = 640;
const JPEG_QUALITY: u8 = 80;

/// A thumbnail ready to be written into the site.
#[derive(Debug, Clone)]
pub struct Thumbnail {
    /// Content-relative path of the source image.
    pub source: String,
    /// Output-relative path (`thumbs/<hash>-640.jpg`).
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Scales `bytes` (JPEG, PNG, WebP, GIF) to at most `max_width` pixels wide, upright,
/// as JPEG. Returns the JPEG with its width and height.
pub fn make_thumbnail(bytes: &[u8], max_width: u32) -> Result<(Vec<u8>, u32, u32), String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    if image.width() > max_width {
        image = image.resize(max_width, u32::MAX, image::imageops::FilterType::Triangle);
    }
    let rgb = image.to_rgb8();
    let mut out = Vec::new();
    rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        .map_err(|e| e.to_string())?;
    Ok((out, rgb.width(), rgb.height()))
}

/// FNV-1a, 64 bits: a stable content hash for cache keys (std's hasher may change
/// between Rust versions; a cache key must not).
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The thumbnail cache of a content directory.
pub fn cache_dir(content: &Path) -> PathBuf {
    content.join(crate::CACHE_DIR).join("thumbs")
}

/// Makes (or takes from the cache) a thumbnail for each content-relative image path, in
/// parallel. A file that is not a readable image gets a warning, and the site falls back
/// to the original picture for it.
pub fn thumbnails(content: &Path, sources: &[String]) -> (Vec<Thumbnail>, Vec<Diagnostic>) {
    let cache = cache_dir(content);
    let results: Vec<Result<Thumbnail, Diagnostic>> = sources
        .par_iter()
        .map(|source| thumbnail(content, &cache, source))
        .collect();
    let mut thumbs = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(t) => thumbs.push(t),
            Err(d) => problems.push(d),
        }
    }
    (thumbs, problems)
}

fn thumbnail(content: &Path, cache: &Path, source: &str) -> Result<Thumbnail, Diagnostic> {
    let warn = |message: String| {
        Diagnostic::warning(source, 0, "", message)
            .with_hint("the gallery shows the original image instead")
    };
    let bytes = std::fs::read(content.join(source))
        .map_err(|e| warn(format!("cannot read the image: {e}")))?;
    let name = format!("{:016x}-{THUMB_WIDTH}.jpg", content_hash(&bytes));
    let cached = cache.join(&name);
    if let Ok(thumb) = std::fs::read(&cached)
        && let Ok((width, height)) = image::ImageReader::new(Cursor::new(&thumb))
            .with_guessed_format()
            .map_err(|_| ())
            .and_then(|r| r.into_dimensions().map_err(|_| ()))
    {
        return Ok(Thumbnail {
            source: source.to_string(),
            path: format!("thumbs/{name}"),
            width,
            height,
            bytes: thumb,
        });
    }
    let (thumb, width, height) = make_thumbnail(&bytes, THUMB_WIDTH)
        .map_err(|e| warn(format!("not a readable image: {e}")))?;
    // The cache is an optimisation: failing to write it must not fail the build.
    if std::fs::create_dir_all(cache).is_ok() {
        let partial = cache.join(format!("{name}.{}.part", std::process::id()));
        if std::fs::write(&partial, &thumb).is_ok() {
            let _ = std::fs::rename(&partial, &cached);
        }
    }
    Ok(Thumbnail {
        source: source.to_string(),
        path: format!("thumbs/{name}"),
        width,
        height,
        bytes: thumb,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgb, RgbImage};

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, _| {
            if x < width / 2 {
                Rgb([200, 30, 30])
            } else {
                Rgb([20, 40, 160])
            }
        });
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
            .expect("encode");
        out
    }

    /// Inserts an EXIF APP1 segment with the given orientation after the JPEG's SOI.
    fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
        let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
        tiff.extend([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]);
        tiff.extend(orientation.to_be_bytes());
        tiff.extend([0, 0, 0, 0, 0, 0]);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let len = (app1.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend([0xff, 0xe1]);
        out.extend(len.to_be_bytes());
        out.extend(app1);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn scales_down_keeping_the_aspect_ratio_and_keeps_small_images() {
        let (_, w, h) = make_thumbnail(&jpeg(1200, 800), 640).expect("thumb");
        assert_eq!((w, h), (640, 427));
        let (_, w, h) = make_thumbnail(&jpeg(300, 200), 640).expect("thumb");
        assert_eq!((w, h), (300, 200));
    }

    #[test]
    fn turns_a_sideways_phone_photo_upright() {
        // Orientation 6: the camera was turned 90°; stored 1200x800, shown 800x1200.
        let (_, w, h) =
            make_thumbnail(&with_exif_orientation(&jpeg(1200, 800), 6), 640).expect("thumb");
        assert_eq!((w, h), (640, 960));
    }

    #[test]
    fn rejects_what_is_not_an_image() {
        assert!(make_thumbnail(b"not an image", 640).is_err());
    }

    #[test]
    fn second_run_reuses_the_cache() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("assets")).expect("mkdir");
        std::fs::write(dir.path().join("assets/a.jpg"), jpeg(1000, 500)).expect("write");
        std::fs::write(dir.path().join("assets/bad.jpg"), b"broken").expect("write");
        let sources = vec!["assets/a.jpg".to_string(), "assets/bad.jpg".to_string()];
        let (first, problems) = thumbnails(dir.path(), &sources);
        assert_eq!(first.len(), 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].file, "assets/bad.jpg");
        let cached = cache_dir(dir.path()).join(first[0].path.trim_start_matches("thumbs/"));
        assert!(cached.is_file());
        // Overwrite the cached file with a marker image: a second run must return it.
        let marker = jpeg(64, 32);
        std::fs::write(&cached, &marker).expect("write");
        let (second, _) = thumbnails(dir.path(), &sources);
        assert_eq!(second[0].bytes, marker);
        assert_eq!((second[0].width, second[0].height), (64, 32));
    }
}
