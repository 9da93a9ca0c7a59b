//! CSV as RFC 4180 writes it: fields separated by commas, lines ended by CRLF, a field
//! quoted (its quotes doubled) when it holds a comma, a quote or a line break. Text a
//! user typed (an application's name) is also kept from being read as a formula by a
//! spreadsheet: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` before
//! it (OWASP's advice for CSV injection).

/// Appends one line of `fields` to `out`.
pub fn push_line<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, f.as_ref());
    }
    out.push_str("\r\n");
}

fn push_field(out: &mut String, f: &str) {
    if f.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(f);
    }
}

/// A user's text, safe to open in a spreadsheet.
pub fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let mut out = String::new();
        push_line(&mut out, &["plain", "a,b", "say \"hi\"", "two\nlines", ""]);
        assert_eq!(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    }

    #[test]
    fn a_users_text_is_not_a_formula() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("-1+1"), "'-1+1");
        assert_eq!(text("My app"), "My app");
    }
}
