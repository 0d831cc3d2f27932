//! Pages filled from top to bottom: a block that does not fit turns the
//! page; later pages carry a running head; page numbers are added once the
//! count is known.

use super::{Page, Weight};

/// Where a flow writes on each page, in mm from the top left.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
    /// The running head's size and weight on the pages after the first.
    pub head: (f32, Weight),
}

pub struct Flow {
    pages: Vec<Page>,
    /// Where the next block goes.
    pub y: f32,
    pub frame: Frame,
    /// Printed atop the pages turned to from now on.
    pub running_head: String,
}

impl Flow {
    pub fn new(frame: Frame, running_head: String) -> Flow {
        Flow { pages: vec![Page::a4()], y: frame.top, frame, running_head }
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a flow has a page")
    }

    pub fn new_page(&mut self) {
        let Frame { left, right, top, head: (size, weight), .. } = self.frame;
        let mut page = Page::a4();
        page.text(left, top - 5.0, size, weight, &self.running_head);
        page.line(left, top + 0.5, right, top + 0.5, 0.4);
        self.pages.push(page);
        self.y = top + 3.5;
    }

    /// Makes room for `height` mm, on a new page if need be; true when it turned the page.
    pub fn room(&mut self, height: f32) -> bool {
        let turn = self.y + height > self.frame.bottom;
        if turn {
            self.new_page();
        }
        turn
    }

    /// The pages, numbered 「n / N」.
    pub fn finish(self) -> Vec<Page> {
        let count = self.pages.len();
        let bottom = self.frame.bottom;
        self.pages
            .into_iter()
            .enumerate()
            .map(|(i, mut page)| {
                page.text_centered(105.0, bottom + 5.5, 8.0, Weight::Regular, &format!("{} / {count}", i + 1));
                page
            })
            .collect()
    }
}
