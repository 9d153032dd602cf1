//! Issue 21, item 1: spreadsheets made to kill the server are refused before they are read,
//! quickly and without a large allocation, and a refused value is quoted by a short prefix only.

use std::io::Write;

use waymark_app::AppError;
use waymark_app::import::{FileFormat, ReadLimits, read_table};
use waymark_domain::import::Problem;

const LIMITS: ReadLimits =
    ReadLimits { max_rows: 200_000, max_columns: 256, max_cell_chars: 10_000, max_unpacked: 100 * 1024 * 1024 };

/// Writes a workbook part's content.
type PartWriter<'a> = &'a dyn Fn(&mut dyn Write);

/// A minimal workbook with the given sheet XML and shared strings, deflated as Excel does.
fn xlsx(sheet: &str, shared: Option<PartWriter>) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, text: &str| {
        z.start_file(name, o).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    };
    put(
        "[Content_Types].xml",
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
    );
    put(
        "_rels/.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    put(
        "xl/workbook.xml",
        r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    put(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    put("xl/worksheets/sheet1.xml", sheet);
    z.start_file("xl/sharedStrings.xml", o).unwrap();
    match shared {
        Some(f) => f(&mut z),
        None => z
            .write_all(br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>x</t></si></sst>"#)
            .unwrap(),
    }
    z.finish().unwrap().into_inner()
}

fn problem(e: AppError) -> Problem {
    match e {
        AppError::Import(rows) => rows[0].problem.clone(),
        other => panic!("expected an import error, got {other:?}"),
    }
}

#[test]
fn issue21_a_sheet_declaring_the_whole_grid_is_refused_before_it_is_read() {
    let sheet = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row></sheetData></worksheet>"#;
    let bytes = xlsx(sheet, None);
    assert!(bytes.len() < 4000, "a small file: {} bytes", bytes.len());
    let started = std::time::Instant::now();
    let e = read_table(&bytes, FileFormat::Xlsx, &LIMITS).unwrap_err();
    assert!(matches!(problem(e), Problem::FileTooLarge { what } if what.contains("1048576 rows")));
    assert!(started.elapsed().as_secs() < 5, "refused at once");
}

#[test]
fn issue21_a_sheet_with_cells_far_away_but_no_dimension_is_refused_while_streaming() {
    // No <dimension>: the cells themselves say where they are.
    let sheet = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="XFD1" t="s"><v>0</v></c></row><row r="1048576"><c r="A1048576" t="s"><v>0</v></c></row></sheetData></worksheet>"#;
    let e = read_table(&xlsx(sheet, None), FileFormat::Xlsx, &LIMITS).unwrap_err();
    assert_eq!(problem(e), Problem::TooManyRows { limit: 200_000 });
}

#[test]
fn issue21_a_huge_shared_string_is_refused_by_the_unpacked_size() {
    let sheet = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#;
    let write_big = |w: &mut dyn Write| {
        w.write_all(br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#).unwrap();
        let chunk = vec![b'A'; 1 << 20];
        for _ in 0..120 {
            w.write_all(&chunk).unwrap();
        }
        w.write_all(b"</t></si></sst>").unwrap();
    };
    let bytes = xlsx(sheet, Some(&write_big));
    assert!(bytes.len() < 1_000_000, "deflated to {} bytes", bytes.len());
    let e = read_table(&bytes, FileFormat::Xlsx, &LIMITS).unwrap_err();
    assert!(matches!(problem(e), Problem::FileTooLarge { what } if what.contains("unpacks to 125 MB")));
}

#[test]
fn issue21_a_long_cell_is_refused_and_quoted_by_a_short_prefix() {
    let csv = format!("工号,姓名\nE1,{}\n", "长".repeat(50_000));
    let e = read_table(csv.as_bytes(), FileFormat::Csv, &LIMITS).unwrap_err();
    let AppError::Import(rows) = e else { panic!() };
    assert_eq!(rows[0].problem, Problem::CellTooLong { limit: 10_000 });
    assert_eq!((rows[0].row, rows[0].column.as_str()), (2, "B"));
    assert!(rows[0].quoted_value().chars().count() <= 41, "{}", rows[0].quoted_value());
    assert!(rows[0].to_string().len() < 300);
}

#[test]
fn issue21_too_many_csv_rows_stop_the_read() {
    let limits = ReadLimits { max_rows: 3, ..LIMITS };
    let csv = "a\n1\n2\n3\n4\n5\n";
    let e = read_table(csv.as_bytes(), FileFormat::Csv, &limits).unwrap_err();
    assert_eq!(problem(e), Problem::TooManyRows { limit: 3 });
    let ok = read_table("a\n'=1+1\n".as_bytes(), FileFormat::Csv, &limits).unwrap();
    assert_eq!(ok.rows[1][0], "=1+1", "the export's neutralizing quote comes off again");
}
