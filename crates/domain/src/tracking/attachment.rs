//! T-1: which files a check-in may carry. The type is decided by the file name's extension and
//! confirmed by the file's first bytes, so a renamed program is refused; the type served back
//! is ours, never the uploader's.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    pub extension: &'static str,
    pub content_type: &'static str,
    /// Shown in the browser (images, PDF) rather than downloaded.
    pub inline: bool,
}

const OOXML_MAGIC: &[u8] = b"PK\x03\x04";

/// Accepted files: images, PDF, Office documents and plain text.
const TYPES: &[(FileType, Magic)] = &[
    (FileType { extension: "png", content_type: "image/png", inline: true }, Magic::Prefix(b"\x89PNG\r\n\x1a\n")),
    (FileType { extension: "jpg", content_type: "image/jpeg", inline: true }, Magic::Prefix(b"\xff\xd8\xff")),
    (FileType { extension: "jpeg", content_type: "image/jpeg", inline: true }, Magic::Prefix(b"\xff\xd8\xff")),
    (FileType { extension: "gif", content_type: "image/gif", inline: true }, Magic::Prefix(b"GIF8")),
    (FileType { extension: "webp", content_type: "image/webp", inline: true }, Magic::Webp),
    (FileType { extension: "pdf", content_type: "application/pdf", inline: true }, Magic::Prefix(b"%PDF-")),
    (
        FileType {
            extension: "xlsx",
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            inline: false,
        },
        Magic::Prefix(OOXML_MAGIC),
    ),
    (
        FileType {
            extension: "docx",
            content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            inline: false,
        },
        Magic::Prefix(OOXML_MAGIC),
    ),
    (
        FileType {
            extension: "pptx",
            content_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            inline: false,
        },
        Magic::Prefix(OOXML_MAGIC),
    ),
    (FileType { extension: "txt", content_type: "text/plain; charset=utf-8", inline: false }, Magic::Text),
    (FileType { extension: "csv", content_type: "text/csv; charset=utf-8", inline: false }, Magic::Text),
    (FileType { extension: "md", content_type: "text/markdown; charset=utf-8", inline: false }, Magic::Text),
];

#[derive(Debug, Clone, Copy)]
enum Magic {
    Prefix(&'static [u8]),
    Webp,
    /// UTF-8 without NUL bytes.
    Text,
}

impl Magic {
    fn matches(self, bytes: &[u8]) -> bool {
        match self {
            Magic::Prefix(p) => bytes.starts_with(p),
            Magic::Webp => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
            Magic::Text => !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok(),
        }
    }
}

/// The extensions accepted, for the form's `accept` and the error message.
pub fn accepted_extensions() -> Vec<&'static str> {
    TYPES.iter().map(|(t, _)| t.extension).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    Empty,
    TooLarge {
        max_bytes: usize,
    },
    /// The extension is not one we accept.
    Type {
        extension: String,
    },
    /// The content is not what the extension says.
    Content {
        extension: &'static str,
    },
}

impl Refused {
    pub fn code(&self) -> &'static str {
        match self {
            Refused::Empty => "empty",
            Refused::TooLarge { .. } => "too_large",
            Refused::Type { .. } => "type_refused",
            Refused::Content { .. } => "content_mismatch",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Refused::Empty => "the file is empty".into(),
            Refused::TooLarge { max_bytes } => format!("the file is larger than {} MiB", max_bytes / (1024 * 1024)),
            Refused::Type { extension } => {
                format!("files of type {extension:?} are not accepted (accepted: {})", accepted_extensions().join(", "))
            }
            Refused::Content { extension } => format!("the file's content is not a {extension} file"),
        }
    }
}

/// The file name as stored and offered on download: no directories, no control characters, at
/// most 120 characters (kept from the end, so the extension survives).
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control() && *c != '"').collect();
    let clean = clean.trim().trim_start_matches('.');
    let n = clean.chars().count();
    let kept: String = clean.chars().skip(n.saturating_sub(120)).collect();
    if kept.is_empty() { "file".into() } else { kept }
}

pub fn check(file_name: &str, bytes: &[u8], max_bytes: usize) -> Result<FileType, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(Refused::TooLarge { max_bytes });
    }
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let (t, magic) = TYPES
        .iter()
        .find(|(t, _)| t.extension == extension)
        .ok_or_else(|| Refused::Type { extension: extension.clone() })?;
    if !magic.matches(bytes) {
        return Err(Refused::Content { extension: t.extension });
    }
    Ok(*t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: usize = 1024 * 1024;

    #[test]
    fn t1_attachments_are_typed_by_name_and_content() {
        let png = b"\x89PNG\r\n\x1a\n rest of the image";
        assert_eq!(check("图表.PNG", png, MB).unwrap().content_type, "image/png");
        assert_eq!(check("notes.txt", "本周进展".as_bytes(), MB).unwrap().extension, "txt");
        assert!(check("x.pdf", b"%PDF-1.7", MB).unwrap().inline);
        // A program renamed to .png, a binary called .txt, an unknown type, no extension.
        assert_eq!(check("a.png", b"MZ\x90\x00", MB), Err(Refused::Content { extension: "png" }));
        assert_eq!(check("a.txt", b"ab\x00cd", MB), Err(Refused::Content { extension: "txt" }));
        assert_eq!(check("a.exe", b"MZ", MB), Err(Refused::Type { extension: "exe".into() }));
        assert_eq!(check("Makefile", b"all:", MB), Err(Refused::Type { extension: String::new() }));
        assert!(check("a.html", b"<script>", MB).unwrap_err().message().contains("png, jpg"));
    }

    #[test]
    fn t1_attachments_have_a_size_limit() {
        assert_eq!(check("a.txt", b"", MB), Err(Refused::Empty));
        let big = vec![b'a'; MB + 1];
        assert_eq!(check("a.txt", &big, MB), Err(Refused::TooLarge { max_bytes: MB }));
        assert!(check("a.txt", &big[..MB], MB).is_ok());
    }

    #[test]
    fn t1_file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\张三\\周报.xlsx"), "周报.xlsx");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\"b\r\n.txt"), "ab.txt");
        assert_eq!(clean_name(".."), "file");
        let long = format!("{}.pdf", "长".repeat(200));
        assert_eq!(clean_name(&long).chars().count(), 120);
        assert!(clean_name(&long).ends_with(".pdf"));
    }
}
