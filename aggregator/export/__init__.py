"""From article to Hexo post: sanitising, front matter and body, images, atomic files, the output guard."""
