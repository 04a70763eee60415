//! Every string the widget shows, one table per language.

use quanzi_core::community::Locale;
use quanzi_core::error::ErrorCode;

pub struct Strings {
    pub loading: &'static str,
    pub community_not_found: &'static str,
    pub origin_not_allowed: &'static str,
    pub network_error: &'static str,
    pub retry: &'static str,
    pub powered_by: &'static str,
}

const ZH_CN: Strings = Strings {
    loading: "正在加载社区…",
    community_not_found: "没有找到这个社区。请检查嵌入代码中的 data-community。",
    origin_not_allowed: "这个网站还不能嵌入该社区。请在管理后台把本站加入允许的来源。",
    network_error: "暂时连不上社区，请稍后重试。",
    retry: "重试",
    powered_by: "由 Quanzi 圈子提供",
};

const EN: Strings = Strings {
    loading: "Loading the community…",
    community_not_found: "This community does not exist. Check data-community in the embed code.",
    origin_not_allowed: "This site may not embed this community yet. Add it to the allowed origins in the dashboard.",
    network_error: "The community can't be reached right now. Please try again.",
    retry: "Retry",
    powered_by: "Powered by Quanzi",
};

pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::ZhCn => &ZH_CN,
        Locale::En => &EN,
    }
}

impl Strings {
    /// A sentence for a member about an error code.
    pub fn error(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::CommunityNotFound => self.community_not_found,
            ErrorCode::OriginNotAllowed => self.origin_not_allowed,
            _ => self.network_error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_string() {
        for locale in [Locale::ZhCn, Locale::En] {
            let s = strings(locale);
            for text in [
                s.loading,
                s.community_not_found,
                s.origin_not_allowed,
                s.network_error,
                s.retry,
                s.powered_by,
            ] {
                assert!(!text.trim().is_empty(), "{locale:?}");
            }
        }
    }
}
