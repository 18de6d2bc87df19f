-- wrk script: a browser-like GET of the landing page (a browser user agent, so clicks are counted as people).
wrk.headers["User-Agent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
wrk.headers["Accept-Language"] = "ja-JP"
