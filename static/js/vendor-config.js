// Settings the vendor scripts read when they load: this file comes before them. A file, not an
// inline script, because the Content-Security-Policy allows no inline code.
// Video.js (inside Bootstrap Italia's bundle) would otherwise inject <style> elements, which
// the policy blocks; the portal shows no videos.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
