/* global hexo */
'use strict';

// A post's `categories` virtual returns its categories in database order, not in front-matter order, and
// Hexo turns a front-matter list `[a, b, c]` into the hierarchy a > b > c. Printing every category with its
// full root-to-leaf path lets the Python test helper recover the hierarchy exactly, whatever the order.
hexo.extend.helper.register('category_path', function(category) {
  const Category = hexo.model('Category');
  const names = [];
  let current = category;
  while (current) {
    names.unshift(current.name);
    current = current.parent ? Category.findById(current.parent) : null;
  }
  return names;
});
