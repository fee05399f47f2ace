//! wareki
