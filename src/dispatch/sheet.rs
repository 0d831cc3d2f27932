//! 活動指示書: the dispatch sheet PDF.
