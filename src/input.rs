//! What bytes a haystack yields before it is searched: `-E/--encoding` (how a file's bytes
//! are decoded).
//!
//! ripgrep's default (`auto`) sniffs a byte-order mark: a UTF-8 one is dropped, UTF-16 with
//! one is transcoded to UTF-8 (`stream::Utf16`), and every other file is searched as its
//! raw bytes. `-E none` turns the sniffing off. `-E LABEL` transcodes every file from the
//! WHATWG encoding LABEL to UTF-8 through ripgrep's own decoding reader (`encoding_rs_io`,
//! set up as ripgrep's searcher sets it up): a UTF-16 byte-order mark still overrides the
//! label, a UTF-8 one is dropped, invalid input becomes U+FFFD. Offsets, columns and bytes
//! searched are those of the transcoded text, as in ripgrep.

/// How a haystack's bytes are decoded (`-E/--encoding`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// `auto` (the default): a byte-order mark decides; without one, the raw bytes.
    #[default]
    Auto,
    /// `none`: the raw bytes, a byte-order mark included.
    Raw,
    /// A WHATWG label: every haystack transcoded to UTF-8 (a UTF-16 byte-order mark wins).
    Label(&'static encoding_rs::Encoding),
}

impl Encoding {
    /// The meaning of an `-E` value, as ripgrep reads it: `auto`, `none` (both exactly so)
    /// or a WHATWG label (any case, surrounding ASCII whitespace ignored; the `replacement`
    /// labels are refused). None for anything else.
    pub fn from_label(label: &str) -> Option<Encoding> {
        match label {
            "auto" => Some(Encoding::Auto),
            "none" => Some(Encoding::Raw),
            _ => encoding_rs::Encoding::for_label_no_replacement(label.as_bytes())
                .map(Encoding::Label),
        }
    }

    /// True when every haystack goes through the decoding reader (an explicit label).
    pub fn transcodes(self) -> bool {
        matches!(self, Encoding::Label(_))
    }

    /// The length of the UTF-8 byte-order mark that the search skips at the start of
    /// `bytes` without transcoding them (only `auto` skips it this way).
    pub fn skipped_bom(self, bytes: &[u8]) -> usize {
        if self == Encoding::Auto && bytes.starts_with(UTF8_BOM) {
            UTF8_BOM.len()
        } else {
            0
        }
    }
}

/// The UTF-8 byte-order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// True when `bytes` start with a byte-order mark that ripgrep's searcher sniffs (UTF-8,
/// UTF-16LE, UTF-16BE): it then searches them through its decoding reader, never as a
/// slice.
pub fn has_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(UTF8_BOM) || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_as_ripgrep_reads_them() {
        assert_eq!(Encoding::from_label("auto"), Some(Encoding::Auto));
        assert_eq!(Encoding::from_label("none"), Some(Encoding::Raw));
        assert_eq!(Encoding::from_label("AUTO"), None);
        assert_eq!(Encoding::from_label("None"), None);
        assert_eq!(
            Encoding::from_label(" Latin1 "),
            Some(Encoding::Label(encoding_rs::WINDOWS_1252))
        );
        assert_eq!(
            Encoding::from_label("utf-16"),
            Some(Encoding::Label(encoding_rs::UTF_16LE))
        );
        assert_eq!(Encoding::from_label("replacement"), None);
        assert_eq!(Encoding::from_label("foo"), None);
        assert_eq!(Encoding::from_label(""), None);
    }
}
