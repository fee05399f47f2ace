//! Path construction: segments and rectangles that may become ruling lines.

use super::*;

#[derive(Clone, Copy, Default)]
pub(super) struct Point {
    pub(super) x: f32,
    pub(super) y: f32,
}

#[derive(Default)]
pub(super) struct Path {
    /// Segments in display space.
    pub(super) segs: Vec<(Point, Point)>,
    /// Rectangles from `re`, in display space.
    pub(super) rects: Vec<Rule>,
    /// Closed four-corner straight subpaths drawn with m/l (their edges are in `segs` too).
    pub(super) closed_rects: Vec<Rule>,
    pub(super) start: Point,
    pub(super) cur: Point,
    /// Points of the current subpath when it is still a candidate rectangle.
    pub(super) sub: Vec<Point>,
    pub(super) sub_straight: bool,
}

impl Path {
    pub(super) fn move_to(&mut self, (x, y): (f32, f32)) {
        self.finish_sub();
        let p = Point { x, y };
        self.start = p;
        self.cur = p;
        self.sub.clear();
        self.sub.push(p);
        self.sub_straight = true;
    }

    pub(super) fn line_to(&mut self, (x, y): (f32, f32)) {
        let p = Point { x, y };
        if self.segs.len() < 100_000 {
            self.segs.push((self.cur, p));
        }
        self.cur = p;
        if self.sub.len() < 8 {
            self.sub.push(p);
        } else {
            self.sub_straight = false;
        }
    }

    pub(super) fn curve_to(&mut self, (x, y): (f32, f32)) {
        self.cur = Point { x, y };
        self.sub_straight = false;
    }

    pub(super) fn close(&mut self) {
        if (self.cur.x - self.start.x).abs() > 0.01 || (self.cur.y - self.start.y).abs() > 0.01 {
            self.line_to((self.start.x, self.start.y));
        }
        self.finish_sub();
        self.cur = self.start;
    }

    pub(super) fn rect(&mut self, ax: f32, ay: f32, bx: f32, by: f32) {
        self.finish_sub();
        if self.rects.len() < 100_000 {
            self.rects.push(Rule {
                x0: ax.min(bx),
                y0: ay.min(by),
                x1: ax.max(bx),
                y1: ay.max(by),
            });
        }
    }

    /// A closed straight subpath of four corners forming an axis-aligned rectangle is a rect
    /// (filled thin rectangles drawn with m/l/h are rules too).
    pub(super) fn finish_sub(&mut self) {
        if self.sub_straight && (4..=5).contains(&self.sub.len()) {
            let xs: Vec<f32> = self.sub.iter().map(|p| p.x).collect();
            let ys: Vec<f32> = self.sub.iter().map(|p| p.y).collect();
            let (x0, x1) = xs
                .iter()
                .fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
            let (y0, y1) = ys
                .iter()
                .fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
            let axis = self.sub.iter().all(|p| {
                ((p.x - x0).abs() < 0.5 || (p.x - x1).abs() < 0.5)
                    && ((p.y - y0).abs() < 0.5 || (p.y - y1).abs() < 0.5)
            });
            if axis && self.closed_rects.len() < 100_000 {
                self.closed_rects.push(Rule { x0, y0, x1, y1 });
            }
        }
        self.sub.clear();
        self.sub_straight = false;
    }
}
