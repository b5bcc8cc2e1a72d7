/**
 * PDF documents (e.g. training certificates) from a handlebars template, so that a
 * province edits the wording without code. The rendered template is plain text with a
 * tiny line syntax: "# " a title, "## " a subtitle, "---" a rule, an empty line a
 * paragraph break; every other line is body text. pdfkit (a maintained library) draws
 * it with the PDF standard fonts; no HTML engine or browser is needed on the server.
 * Consecutive body lines form one paragraph (as in Markdown), so the wording can wrap
 * freely in the template.
 */
import PDFDocument from 'pdfkit';

export interface PdfMetadata {
  title: string;
  author: string;
  subject?: string;
}

export function renderTextPdf(text: string, meta: PdfMetadata): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: 72, bottom: 72, left: 72, right: 72 },
      info: { Title: meta.title, Author: meta.author, Subject: meta.subject ?? meta.title },
      // A fixed creation date keeps two renderings of the same certificate identical.
      pdfVersion: '1.7',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    let paragraph: string[] = [];
    const flush = () => {
      if (paragraph.length > 0) {
        doc
          .font('Helvetica')
          .fontSize(11)
          .text(paragraph.join(' '), { align: 'justify' })
          .moveDown(0.6);
      }
      paragraph = [];
    };
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line.startsWith('# ')) {
        flush();
        doc
          .font('Helvetica-Bold')
          .fontSize(22)
          .text(line.slice(2), { align: 'center' })
          .moveDown(0.5);
      } else if (line.startsWith('## ')) {
        flush();
        doc
          .font('Helvetica-Bold')
          .fontSize(14)
          .text(line.slice(3), { align: 'center' })
          .moveDown(0.5);
      } else if (line === '---') {
        flush();
        const y = doc.y + 6;
        doc
          .moveTo(72, y)
          .lineTo(doc.page.width - 72, y)
          .stroke()
          .moveDown(1);
      } else if (line === '') {
        flush();
      } else {
        paragraph.push(line);
      }
    }
    flush();
    doc.end();
  });
}
